#include "core/messages.h"

#include <algorithm>
#include <vector>

namespace amiable::msg {
namespace {

// Keep related keys together; All() sorts them.
constexpr Entry kEntries[] = {
    // Generic classes (when a more precise key is missing).
    {"error.invalid", "Valeur refusée."},
    {"error.unauthorized", "Authentification requise."},
    {"error.forbidden", "Votre rôle ne permet pas cette action."},
    {"error.not_found", "Élément introuvable ou inaccessible."},
    {"error.conflict", "Action refusée dans l'état actuel du dossier."},
    {"error.too_large", "Envoi trop volumineux."},
    {"error.unavailable", "Service momentanément indisponible. Réessayez plus tard."},
    {"error.internal", "Une erreur est survenue. Réessayez plus tard."},
    // An error of a part not yet keyed: the sentence of its class, then its
    // own words ({1}) as a detail.
    {"error.detail", "{0} Détail : {1}"},

    // Cases.
    {"case.not_found", "Ce dossier n'existe pas ou ne vous est pas accessible."},
    {"case.stale_version",
     "Le dossier a été modifié entre-temps (version {0}, la vôtre est {1}) : rechargez-le et "
     "recommencez."},
    {"case.locked",
     "Le dossier est clos : il est en lecture seule jusqu'à sa réouverture (seules les notes "
     "restent possibles)."},
    {"case.published_year",
     "Cette modification touche l'année {0}, déjà publiée : confirmez-la explicitement "
     "(confirm_published)."},
    {"case.no_change", "Aucune modification à enregistrer."},
    {"case.updated", "Qualification enregistrée."},
    {"case.registered", "Demande enregistrée."},
    {"case.unknown_code", "Code inconnu « {1} » pour {0}."},
    {"case.allocataire_number", "Le numéro d'allocataire compte 7 chiffres."},
    {"case.quotient_familial", "Le quotient familial est un nombre entier d'euros."},
    {"case.description_too_long", "La description est trop longue."},
    {"case.bad_date", "Date invalide : attendu JJ/MM/AAAA ou AAAA-MM-JJ."},
    {"case.organisme_required", "Choisissez la Caf de la demande."},
    {"case.organisme_unknown", "Caf inconnue ou hors de votre périmètre : {0}."},
    {"case.received_on_future", "La date de réception ne peut pas être dans le futur."},
    {"case.field_readonly", "Le champ {0} ne se modifie pas ainsi : utilisez l'action prévue."},
    {"case.list_value_unknown", "Valeur inconnue dans une liste : rechargez la page."},
    {"case.channel_required", "Choisissez le mode de saisine."},
    {"case.emitter_unknown", "Émetteur inconnu."},
    {"case.description_required", "Résumez la demande (obligatoire)."},

    // Roles.
    {"role.no_case_access",
     "Un lecteur de statistiques n'a accès qu'aux chiffres, jamais aux dossiers."},
    {"role.manager_required", "Seul un responsable de la Caf ou un administrateur peut le faire."},
    {"role.admin_required", "Seul un administrateur peut le faire."},
    {"role.no_fund", "Ce compte ne voit aucune Caf."},
    {"role.not_your_fund", "Cette Caf n'est pas dans votre périmètre : {0}."},

    // Users named in a request.
    {"user.unknown", "Aucun utilisateur « {0} »."},
    {"user.disabled", "Le compte « {0} » est désactivé."},
    {"user.not_mediator", "« {0} » n'est pas médiateur : il ne peut pas prendre de dossier."},
    {"user.wrong_fund", "« {0} » ne traite pas les dossiers de la Caf {1}."},

    // Lifecycle.
    {"event.unknown", "Action inconnue « {0} » ; possibles maintenant : {1}."},
    {"event.actor_required", "Une action doit être attribuée à un utilisateur."},
    {"event.not_allowed", "Action « {0} » impossible : le dossier est à l'état « {1} » et {2}"},
    {"event.param_unknown", "Paramètre inconnu « {0} » pour « {1} » (acceptés : {2})."},
    {"event.param_required", "« {1} » demande le paramètre « {0} »."},
    {"event.param_empty", "Le paramètre « {0} » ne peut pas être vide."},
    {"event.param_too_long", "Le paramètre « {0} » est trop long ({1} octets au plus)."},
    {"event.code_unknown", "Code « {1} » inconnu pour {0} (codes possibles : {2})."},
    {"event.date_future", "La date du {0} est dans le futur (nous sommes le {1})."},
    {"event.date_before", "La date du {0} est antérieure à la {1} du dossier ({2})."},
    {"event.done", "{0} : fait."},
    {"event.applied", "Action enregistrée."},
    {"take_in_charge.inadmissible",
     "Une demande déclarée irrecevable ne peut pas être prise en charge."},
    {"answer.response_mode_required",
     "Répondre demande au moins un mode de réponse (courriel, téléphone, courrier)."},
    {"close.resolution_required", "Clore demande une résolution."},
    {"close.cause_required", "Clore demande une cause (vue du côté de la Caf)."},
    {"close.unknown_fields",
     "Le champ « {0} » est vide : le rapport le comptera « non renseigné ». Renseignez-le ou "
     "confirmez-le (confirm_unknown)."},
    {"reopen.reason_required", "Rouvrir demande un motif."},
    {"reopen.not_assigned",
     "Seul le médiateur en charge, un responsable ou un administrateur peut rouvrir ce dossier."},

    // Recusal (déport) and conflicts of interest.
    {"recuse.same_mediator", "Le déport doit confier le dossier à un autre médiateur que {0}."},
    {"recuse.own_only",
     "Un médiateur ne peut enregistrer que son propre déport ; un responsable peut l'ordonner."},
    {"recuse.target_not_eligible",
     "« {0} » ne peut pas recevoir ce dossier : choisissez un médiateur actif de la Caf ou d'une "
     "Caf de la même région."},
    {"recuse.already_recused", "{0} s'est déporté de ce dossier le {1} : confiez-le à un autre "
                               "médiateur."},
    {"recuse.interference_unknown",
     "Interférence inconnue « {0} » (possibles : materielle, geographique, temporelle)."},
    {"recuse.intensity_unknown", "Intensité inconnue « {0} » (possibles : forte, moderee)."},
    {"recuse.done", "Déport enregistré : ce dossier ne vous est plus accessible."},
    {"recuse.not_found", "Aucun déport {0} sur ce dossier."},
    {"recuse.already_lifted", "Ce déport a déjà été levé."},
    {"recuse.lifted", "Déport levé."},
    {"recuse.lift_reason_required", "Lever un déport demande un motif."},
    {"conflict.strong", "Conflit d'intérêts de {0} : {1} Le dossier doit être confié à un autre "
                        "médiateur (déport, action « recuse »)."},

    // Notes, documents, people, financial lines.
    {"note.empty", "La note est vide."},
    {"note.too_long", "La note est trop longue (20 000 caractères au plus)."},
    {"note.added", "Note ajoutée."},
    {"note.removed", "Note supprimée."},
    {"note.not_found", "Note introuvable sur ce dossier."},
    {"note.not_author", "Seul l'auteur d'une note, un responsable ou un administrateur peut la "
                        "supprimer."},
    {"document.too_large", "Le fichier dépasse {0}."},
    {"document.required", "Choisissez un fichier."},
    {"document.empty", "Le fichier est vide."},
    {"document.type", "Le fichier n'est ni un PDF, ni une image JPEG ou PNG."},
    {"document.store_failed", "Le fichier n'a pas pu être enregistré."},
    {"document.added", "Document ajouté."},
    {"document.removed", "Document supprimé."},
    {"document.not_found", "Document introuvable sur ce dossier."},
    {"person.role_unknown", "Rôle de personne inconnu « {0} » (beneficiary, emitter, landlord)."},
    {"person.name_required", "Le nom de la personne est obligatoire."},
    {"person.too_long", "Le champ {0} est trop long."},
    {"person.email", "Adresse électronique invalide : {0}."},
    {"person.saved", "Personne enregistrée."},
    {"person.removed", "Personne retirée du dossier."},
    {"person.not_found", "Personne introuvable sur ce dossier."},
    {"financial.kind_required", "Choisissez le type de la ligne financière."},
    {"financial.amount",
     "Montant invalide : un nombre positif d'euros, par exemple 1 234,56."},
    {"financial.added", "Ligne financière ajoutée."},
    {"financial.removed", "Ligne financière supprimée."},
    {"financial.not_found", "Ligne financière introuvable."},

    // Interest links.
    {"interest.value_required", "Indiquez la personne, l'organisme ou le numéro concerné."},
    {"interest.subject_unknown", "Type de lien inconnu « {0} » (person, organisation, allocataire)."},
    {"interest.not_found", "Lien d'intérêts introuvable."},
    {"interest.not_yours",
     "Un médiateur ne déclare et ne retire que ses propres liens d'intérêts."},
    {"interest.relation_required",
     "Précisez la nature du lien (ex. « conjoint », « associé »)."},
    {"interest.too_long", "Ce texte dépasse {0} caractères."},
    {"interest.organisme", "Choisissez une de vos Caf, ou « Toutes les Caf »."},
    {"interest.start_future", "La date de début est dans le futur."},
    {"interest.end_before_start", "La date de fin précède la date de début."},
    {"interest.added", "Lien d'intérêts déclaré."},
    {"interest.removed", "Lien d'intérêts retiré."},

    // Published years.
    {"publish.already", "L'année {0} de la Caf {1} est déjà publiée."},
    {"publish.year", "Année invalide : {0}."},
    {"publish.done", "Année {0} marquée publiée."},
    {"publish.marked", "Année marquée publiée."},
    {"publish.confirm_required",
     "Cochez la case de confirmation pour marquer l'année publiée."},
    {"publish.fund_required",
     "Choisissez un organisme : une année se publie organisme par organisme."},
    {"publish.already_marked", "Cette année est déjà marquée publiée pour cet organisme."},

    // Administration page.
    {"admin.user_name_invalid", "Identifiant invalide (sans espace ni ponctuation spéciale)."},
    {"admin.role_unknown", "Rôle inconnu."},
    {"admin.organisme_unknown", "Organisme inconnu dans la liste des organismes du compte."},
    {"admin.organismes_required", "Indiquez au moins un organisme."},
    {"admin.password_too_short", "Mot de passe refusé : 12 caractères au moins."},
    {"admin.user_exists", "Ce compte existe déjà."},
    {"admin.user_create_failed", "Création du compte impossible."},
    {"admin.user_created", "Compte créé."},
    {"admin.fund_code", "Le code d'un organisme compte 3 chiffres."},
    {"admin.fund_name_required", "Indiquez le nom de l'organisme."},
    {"admin.fund_rejected", "Organisme refusé : zone ou région inconnue."},
    {"admin.region_unknown", "Région inconnue : choisissez une des 18 régions de la liste."},
    {"admin.zone_unknown", "Zone des jours fériés inconnue : choisissez-en une dans la liste."},
    {"admin.fund_saved", "Organisme enregistré."},
    {"admin.nomenclature_unknown", "Nomenclature inconnue."},
    {"admin.label_too_long", "Libellé trop long (200 caractères au plus)."},
    {"admin.labels_failed", "Enregistrement des libellés impossible."},
    {"admin.labels_saved", "Libellés enregistrés."},

    // Account lifecycle (issue 9, part 4: service/accounts_service.h, /compte).
    {"accounts.email_invalid", "Adresse électronique invalide : « {0} »."},
    {"accounts.email_invalid_form", "Adresse électronique invalide."},
    {"accounts.sso_password",
     "Ce compte se connecte par l'authentification unique : son mot de passe se change "
     "auprès du fournisseur d'identité."},
    {"accounts.own_password_system",
     "La ligne de commande change un mot de passe avec « amiable user passwd --name »."},
    {"accounts.disabled", "Ce compte est désactivé."},
    {"accounts.current_password", "Le mot de passe actuel est incorrect."},
    {"accounts.disable_self", "Vous ne pouvez pas désactiver votre propre compte."},
    {"accounts.password_mismatch", "Les deux saisies du nouveau mot de passe diffèrent."},
    {"accounts.password_changed", "Mot de passe changé. Vos autres sessions sont fermées."},
    {"accounts.password_set",
     "Nouveau mot de passe enregistré ; les sessions du compte sont fermées."},
    {"accounts.user_disabled",
     "Compte désactivé : ses sessions sont fermées et ses jetons refusés."},
    {"accounts.user_enabled", "Compte réactivé."},
    {"accounts.email_saved", "Adresse électronique enregistrée."},
    {"accounts.token_revoked", "Jeton révoqué : il est refusé dès maintenant."},
    {"accounts.token_id", "Numéro de jeton invalide."},
    {"accounts.failed", "L'opération n'a pas pu être faite. Réessayez plus tard."},

    // Figures page.
    {"figures.year_impossible", "Chiffres impossibles pour cette année."},
    {"figures.organisme_unknown", "Organisme inconnu ou hors de vos organismes."},

    // Annual report pages.
    {"report.texts_saved", "Textes enregistrés."},
    {"report.year_invalid", "Année invalide : indiquez une année sur quatre chiffres."},
    {"report.organisme_unknown", "Organisme inconnu ou hors de vos organismes."},
    {"report.no_fund", "Aucun organisme accessible."},
    {"report.format_unknown", "Format inconnu (attendu : pdf, xlsx ou csv)."},
    {"report.refused_blocking",
     "Le rapport de {0} est refusé : le contrôle de cohérence a relevé {1} problème(s) "
     "bloquant(s). Corrigez les dossiers (page « Qualité des données ») ou cochez « produire "
     "quand même (incomplet) » sur la page du rapport."},
    {"report.build_failed", "Le rapport n'a pas pu être calculé. Réessayez plus tard."},
    {"report.render_failed", "Le rapport n'a pas pu être produit. Réessayez plus tard."},
    {"report.read_failed", "Lecture des dossiers impossible. Réessayez plus tard."},
    {"report.texts_read_failed", "Lecture des textes impossible. Réessayez plus tard."},
    {"report.texts_write_failed", "Les textes n'ont pas pu être enregistrés. Réessayez plus tard."},
    {"report.texts_rejected", "Textes refusés : vérifiez-les et recommencez."},
    {"report.texts_too_many_rows", "Trop de lignes dans les temps forts ({0} au plus)."},
    {"report.texts_theme_required", "Temps forts, ligne {0} : indiquez le thème."},
    {"report.texts_too_long", "Un texte dépasse la taille autorisée (60 000 caractères)."},
    {"report.highlights_unreadable",
     "Le tableau des temps forts enregistré est illisible : saisissez-le à nouveau."},
    // The report's data in the database (report/report_store.h DbReportStore) and the
    // one-time import of the report files of earlier versions.
    {"report.fund_set_invalid", "Ensemble d'organismes invalide (codes séparés par « + »)."},
    {"report.aggregate_source",
     "Origine des chiffres inconnue « {0} » (attendu : imported ou typed)."},
    {"report.import_file_invalid",
     "Import des fichiers du rapport : « {0} » est illisible ({1}) ; rien n'a été importé."},
    {"report.import_file_unreadable",
     "Import des fichiers du rapport : « {0} » ne peut pas être lu ; rien n'a été importé."},
    {"report.import_dir_unreadable",
     "Import des fichiers du rapport : le dossier « {0} » ne peut pas être parcouru ; rien n'a "
     "été importé."},
    {"report.store_unavailable", "Les données du rapport ne sont pas accessibles."},

    // The météo and the context figures (issue 10, meteo): aggregate files,
    // typed aggregates, context figures, deployment settings.
    {"aggregate.not_object", "Fichier de chiffres agrégés illisible : un objet JSON est attendu."},
    {"aggregate.unknown_key", "Fichier de chiffres agrégés : clé inconnue « {0} »."},
    {"aggregate.format",
     "Fichier de chiffres agrégés : « format » doit valoir « amiable-aggregate »."},
    {"aggregate.version", "Fichier de chiffres agrégés : version non prise en charge (attendue : 1)."},
    {"aggregate.scope_missing",
     "Fichier de chiffres agrégés : « scope » manque (fund, all_funds ou national_pole)."},
    {"aggregate.scope",
     "Fichier de chiffres agrégés : « scope » doit valoir fund, all_funds ou national_pole."},
    {"aggregate.exported_on",
     "Fichier de chiffres agrégés : « exported_on » doit être une date AAAA-MM-JJ."},
    {"aggregate.source", "Fichier de chiffres agrégés : « source » doit valoir imported ou typed."},
    {"aggregate.figures_missing", "Fichier de chiffres agrégés : « figures » manque."},
    {"aggregate.figures_object", "Chiffres agrégés : « figures » doit être un objet JSON."},
    {"aggregate.figures_json", "Chiffres agrégés illisibles : JSON invalide."},
    {"aggregate.nothing_given",
     "Chiffres agrégés : aucun chiffre donné (au moins un délai ou un nombre est attendu)."},
    {"aggregate.integer", "Chiffres agrégés, « {0} » : un nombre entier positif ou nul est attendu."},
    {"aggregate.number", "Chiffres agrégés, « {0} » : un nombre ou null est attendu."},
    {"aggregate.negative", "Chiffres agrégés, « {0} » : une valeur négative est refusée."},
    {"aggregate.rate",
     "Chiffres agrégés, « {0} » : un taux est une fraction entre 0 et 1 (0,357 pour 35,7 %)."},
    {"aggregate.array", "Chiffres agrégés, « {0} » : une liste est attendue."},
    {"aggregate.fund_codes", "Chiffres agrégés, « {0} » : une liste de codes d'organisme est attendue."},
    {"aggregate.year",
     "Chiffres agrégés, « year » : une année sur quatre chiffres est attendue (1900 à 2199)."},
    {"aggregate.date", "Chiffres agrégés, « {0} » : une date AAAA-MM-JJ est attendue."},
    {"aggregate.months", "Chiffres agrégés, « {0} » : 12 nombres (un par mois) sont attendus."},
    {"aggregate.sum",
     "Chiffres agrégés, « {0} » : les nombres ne font pas le total des dossiers clos (closed)."},
    {"aggregate.object", "Chiffres agrégés, « {0} » : un objet JSON est attendu."},
    {"aggregate.quarters", "Chiffres agrégés, « {0} » : 4 trimestres sont attendus."},
    {"report.typed_number", "{0} : « {1} » n'est pas un nombre positif (exemples : 5,12 ou 5.12)."},
    {"report.typed_count",
     "{0} : « {1} » n'est pas un nombre entier positif (exemple : 24 579)."},
    {"report.typed_percent",
     "{0} : « {1} » n'est pas un pourcentage entre 0 et 100 (exemples : 87,5 ou 87,5 %)."},
    {"report.typed_nothing",
     "Indiquez au moins un chiffre : délai de prise en charge, délai de réponse, dossiers clos "
     "ou demandes hors médiation."},
    {"report.typed_organisme", "Chiffres d'une Caf : indiquez son code (--organisme)."},
    {"report.typed_scope",
     "Portée inconnue « {0} » (attendu : national_pole ou cnaf, all_funds, fund)."},
    {"report.typed_saved", "Chiffres {0} enregistrés : {1}."},
    {"report.typed_replaced_import",
     "Les chiffres importés d'un fichier pour {0} {1} sont remplacés par les chiffres saisis."},
    {"report.context_source", "Source : {0} caractères au plus."},
    {"report.context_nothing",
     "Indiquez au moins un chiffre de contexte ou la source (--beneficiaries, "
     "--national-beneficiaries, --all-funds-requests, --complaints, --complaints-within-10-days, "
     "--complaints-mean-days, --source)."},
    {"report.context_saved", "Chiffres de contexte {0} enregistrés."},
    {"report.context_none", "Aucun chiffre de contexte pour {0} en {1}."},

    // The store (errors of the database layer, when no rule above caught them).
    {"store.user_name_required", "Un compte doit avoir un nom."},
    {"store.user_unknown", "Aucun compte « {0} »."},
    {"store.session_unknown", "Session inconnue ou expirée."},
    {"store.zone_unknown", "Zone inconnue « {0} »."},
    {"store.organisme_unknown", "Organisme inconnu « {0} »."},
    {"store.duplicate", "Cet élément existe déjà (référence ou nom en double)."},
    {"store.dangling", "Cet élément fait référence à un élément qui n'existe pas."},
    {"store.detail_unknown", "Aucun élément {0} n° {1} sur ce dossier."},
    {"store.counter_busy", "Le compteur des références était pris : réessayez."},
    {"store.recused_user_required", "Le déport doit nommer le médiateur qui se déporte."},
    {"store.grant_unknown", "« {0} » n'a pas d'accès en cours à ce dossier."},
    {"store.backup_postgresql", "Une base PostgreSQL se sauvegarde avec pg_dump."},
    {"store.backup_file", "Impossible de créer le fichier de sauvegarde « {0} » : {1}"},
    {"store.db_path_empty", "Chemin de base de données vide."},
    {"store.token_unknown", "Aucun jeton n° {0}."},
    {"store.token_revoked", "Le jeton n° {0} est déjà révoqué."},
    {"store.report_forbidden", "Vous ne pouvez pas modifier le rapport de « {0} »."},
    {"store.report_national_forbidden",
     "Seuls le pôle national et les administrateurs saisissent les chiffres nationaux."},
    {"store.setting_forbidden", "Seul un administrateur modifie les réglages du déploiement."},
    {"store.logo_type", "Le logo doit être une image PNG ou JPEG."},
    {"store.logo_size", "Le logo dépasse la taille permise ({0} Kio au plus)."},
    {"store.colour", "La couleur s'écrit #RRVVBB (six chiffres hexadécimaux), par exemple #1F5FA8."},
    {"store.context_negative", "Le nombre « {0} » ne peut pas être négatif."},
    {"store.context_rate", "La part « {0} » doit être comprise entre 0 et 100 %."},
    {"store.year_invalid", "Année invalide « {0} »."},

    // The register of findings and recommendations (store/sql_register.cc,
    // report/register.h, the « Registre » page, `amiable register`).
    {"register.kind_unknown",
     "Nature inconnue « {0} » : attendu constat ou préconisation (champ « nature »)."},
    {"register.status_unknown",
     "Statut inconnu « {0} » : attendu proposée, acceptée, mise en œuvre ou abandonnée "
     "(champ « statut »)."},
    {"register.theme_unknown", "Thème inconnu « {0} » (champ « thème »)."},
    {"register.text_required", "Le texte de la recommandation est vide (champ « texte »)."},
    {"register.text_too_long", "Le texte dépasse {0} caractères."},
    {"register.addressed_to_too_long",
     "Le destinataire dépasse {0} caractères (champ « adressée à »)."},
    {"register.position_invalid", "Position invalide « {0} » (champ « position »)."},
    {"register.follow_up_date",
     "Date de suivi invalide « {0} » : attendu AAAA-MM-JJ ou JJ/MM/AAAA (champ « date »)."},
    {"register.follow_up_year",
     "Le suivi de l'année {0} ne peut précéder l'année de la recommandation ({1}) "
     "(champ « année »)."},
    {"register.item_unknown", "Aucune recommandation n° {0} parmi celles de vos Caf."},
    {"register.write_forbidden",
     "Seuls les médiateurs, responsables et administrateurs de la Caf modifient son registre."},
    {"register.themes_forbidden",
     "Seuls le pôle national et les administrateurs modifient les thèmes du registre."},
    {"register.theme_code",
     "Code de thème invalide « {0} » : lettres minuscules, chiffres et _ (champ « code »)."},
    {"register.theme_label_required", "Le libellé du thème est vide (champ « libellé »)."},
    {"register.year_required", "Année manquante ou invalide « {0} » (champ « année »)."},
    {"register.id_invalid", "Numéro de recommandation invalide « {0} »."},
    {"register.moved", "Recommandation déplacée."},
    {"register.added", "Recommandation ajoutée."},
    {"register.updated", "Recommandation modifiée."},
    {"register.deleted", "Recommandation supprimée."},
    {"register.follow_up_saved", "Suivi enregistré ; le statut de la recommandation est mis à jour."},
    {"register.followed_up", "Suivi {0} enregistré : {1}."},
    {"register.organisme_required", "Choisissez un organisme (champ « organisme »)."},

    // Regions.
    {"region.unknown",
     "Région inconnue « {0} » : attendu un code de région INSEE (par exemple 84 pour "
     "Auvergne-Rhône-Alpes)."},

    // API.
    {"api.token_missing", "Jeton d'API absent : envoyez « Authorization: Bearer <jeton> »."},
    {"api.token_malformed", "En-tête Authorization mal formé : attendu « Bearer <jeton> »."},
    {"api.token_invalid", "Jeton d'API invalide ou révoqué."},
    {"api.body_too_large", "Corps de requête trop volumineux ({0} octets au plus)."},
    {"api.media_type", "Le corps doit être envoyé en {0}."},
    {"api.body_object", "Le corps doit être un objet JSON."},
    {"api.field_required", "Le champ « {0} » est obligatoire."},
    {"api.field_string", "Le champ « {0} » doit être une chaîne."},
    {"api.field_integer", "Le champ « {0} » doit être un nombre entier."},
    {"api.field_boolean", "Le champ « {0} » doit valoir true ou false."},
    {"api.field_unknown", "Champ inconnu « {0} »."},
    {"api.bad_id", "Identifiant invalide pour « {0} »."},
    {"api.bad_limit", "« limit » doit être un entier entre 1 et {0}."},

    // API: the body and query parser (web/case_json.cc).
    {"api.body_empty", "Corps vide : un objet JSON est attendu."},
    {"api.json_too_deep", "JSON trop imbriqué ({0} niveaux au plus)."},
    {"api.json_malformed", "JSON mal formé à la ligne {0}, colonne {1}."},
    {"api.key_twice", "La clé « {0} » est donnée deux fois."},
    {"api.field_too_long", "Le champ « {0} » est trop long ({1} octets au plus)."},
    {"api.field_object", "« {0} » doit être un objet."},
    {"api.field_codes", "Le champ « {0} » doit être une liste de codes."},
    {"api.field_names", "Le champ « {0} » doit être une liste de noms de champs."},
    {"api.field_date", "Le champ « {0} » doit être une date AAAA-MM-JJ."},
    {"api.field_range", "« {0} » doit être compris entre {1} et {2}."},
    {"api.field_value_type", "Type de valeur inattendu pour « {0} »."},
    {"api.field_readonly", "« {0} » ne se modifie pas après l'enregistrement."},
    {"api.field_lifecycle",
     "« {0} » ne change que par une action du cycle de vie (POST "
     "/api/v1/cases/{reference}/events)."},
    {"api.financial_route",
     "Les lignes financières se modifient par /api/v1/cases/{reference}/financial."},
    {"api.people_list", "« people » doit être une liste de personnes."},
    {"api.people_max", "Au plus {0} personnes par dossier."},
    {"api.person_role_required",
     "Chaque personne a un rôle (« role » : beneficiary, emitter ou landlord)."},
    {"api.event_required", "Indiquez l'action (« event »)."},
    {"api.event_code", "« event » doit être un code d'action."},
    {"api.actor_given",
     "L'auteur d'une action est l'utilisateur authentifié : « actor » ne se donne pas."},
    {"api.param_type", "Le paramètre « {0} » doit être une chaîne ou une liste de chaînes."},
    {"api.organisme_code", "Un code d'organisme compte 3 chiffres : « {0} »."},
    {"api.state_unknown", "État inconnu « {0} »."},
    {"api.query_unknown", "Paramètre de requête inconnu « {0} »."},
    {"api.case_invalid", "Dossier refusé."},

    // Passwords and HTTP (web/auth.cc, web/server.cc).
    {"auth.password_too_short", "Mot de passe trop court : {0} caractères au moins."},
    {"auth.password_too_long", "Mot de passe trop long ({0} caractères au plus)."},
    {"auth.hash_failed",
     "Calcul de l'empreinte du mot de passe impossible (mémoire insuffisante)."},
    {"http.bad_request", "Requête invalide."},
    {"http.not_found", "Adresse inconnue : {0} {1}."},
    {"http.uri_too_long", "Adresse de la requête trop longue."},
    {"http.refused", "Requête refusée (statut {0})."},
    // The reception (web/reception.cc): requests refused before any handler.
    {"http.head_too_large", "En-têtes de la requête trop volumineux ou trop nombreux."},
    {"http.length_required",
     "Longueur du corps requise (Content-Length) : l'envoi par morceaux n'est pas accepté."},
    {"http.timeout", "Requête trop lente : délai dépassé."},
    {"server.db_open", "Ouverture de la base de données impossible : {0}"},
    {"server.listen_any", "Écoute impossible sur {0} (aucun port libre)."},
    {"server.listen", "Écoute impossible sur {0}:{1} (adresse occupée ou interdite)."},
    {"server.backlog", "Réglage de la file d'attente des connexions impossible."},

    // The interchange format (intake/interchange.cc): the reason of
    // "line N: field: reason", in lower case.
    {"interchange.key_unknown", "clé inconnue"},
    {"interchange.key_twice", "clé en double"},
    {"interchange.json", "JSON invalide à l'octet {0}"},
    {"interchange.encoding", "UTF-8 invalide à l'octet {0}"},
    {"interchange.line_too_long", "ligne trop longue ({0} octets, {1} au plus)"},
    {"interchange.required", "absent (obligatoire)"},
    {"interchange.line_object", "une ligne doit être un objet JSON, pas {0}"},
    {"interchange.type_text", "doit être une chaîne, pas {0}"},
    {"interchange.type_code", "doit être un code (une chaîne), pas {0}"},
    {"interchange.type_date", "doit être une date AAAA-MM-JJ (une chaîne), pas {0}"},
    {"interchange.type_codes", "doit être une liste de codes, pas {0}"},
    {"interchange.type_integer", "doit être un nombre entier, pas {0}"},
    {"interchange.type_bool", "doit valoir true ou false, pas {0}"},
    {"interchange.type_financial", "doit être une liste d'objets {kind, amount_cents}, pas {0}"},
    {"interchange.too_large", "nombre trop grand"},
    {"interchange.negative", "doit être positif ou nul (reçu {0})"},
    {"interchange.not_integer", "doit être un nombre entier (reçu {0})"},
    {"interchange.code_unknown", "code inconnu {0} pour {1}"},
    {"interchange.empty", "ne peut pas être vide"},
    {"interchange.too_long", "trop long ({0} octets, {1} au plus)"},
    {"interchange.control", "ne doit contenir aucun caractère de contrôle"},
    {"interchange.organisme", "doit être un code à 3 chiffres (reçu {0})"},
    {"interchange.allocataire_number", "doit compter 7 chiffres (reçu {0})"},
    {"interchange.date_shape", "doit être une date AAAA-MM-JJ (reçu {0})"},
    {"interchange.date_impossible", "date impossible {0}"},
    {"interchange.code_twice", "{0} en double (déjà en {1})"},
    {"interchange.date_after_received", "postérieure à received_on ({0})"},
    {"interchange.date_before", "antérieure à {0} ({1})"},
    {"interchange.read", "lecture de l'entrée impossible"},
    {"interchange.reference_twice", "référence {0} en double (déjà ligne {1})"},

    // The importer (intake/importer.cc).
    {"import.organisme_unknown", "organisme inconnu {0}"},
    {"import.reference_exists", "la référence {0} existe déjà"},
    {"import.problem", "1 problème : rien n'a été importé"},
    {"import.problems", "{0} problèmes : rien n'a été importé"},
    // CSV import of a spreadsheet (issue 10, item 8): intake/csv_*.h,
    // cli/import_cmd.cc, web/pages_import.cc.
    {"import.role",
     "Seuls les responsables et les administrateurs de l'organisme importent des dossiers."},
    {"csv.encoding",
     "UTF-8 invalide : enregistrez le fichier en UTF-8, ou indiquez l'encodage windows-1252"},
    {"csv.after_quote",
     "texte après un guillemet fermant (un guillemet dans une cellule entre guillemets s'écrit "
     "\"\")"},
    {"csv.open_quote", "guillemet ouvert jamais fermé : la fin du fichier tombe dans une cellule"},
    {"csv.too_many_records", "plus de {0} lignes : découpez le fichier"},
    {"csv.cell_too_long", "cellule trop longue (plus de {0} octets)"},
    {"csv.empty_file", "fichier vide : la première ligne doit être l'en-tête des colonnes"},
    {"csv.column_missing",
     "colonne absente de l'en-tête du fichier (la correspondance la nomme)"},
    {"csv.column_twice", "colonne présente deux fois dans l'en-tête du fichier"},
    {"csv.column_n", "colonne {0} (sans en-tête)"},
    {"csv.extra_cell", "cellule au-delà des colonnes de l'en-tête"},
    {"csv.date", "date illisible {0} (attendu JJ/MM/AAAA, JJ/MM/AA ou AAAA-MM-JJ)"},
    {"csv.label",
     "libellé inconnu {0} : ajoutez-le à « labels » → « {1} » de la correspondance (codes : {2})"},
    {"csv.integer", "nombre entier d'euros attendu, pas {0}"},
    {"csv.bool", "oui ou non attendu, pas {0} (ou ajoutez-le à « labels » → « fraud »)"},
    {"csv.amount", "montant illisible {0} (attendu en euros, par exemple 1 234,56)"},
    {"csv.generated_reference", "référence (générée)"},
    {"csv.dry_run", "vérification seule : rien n'a été écrit"},
    {"csv.mapping_problems", "{0} problème(s) dans la correspondance : rien n'a été importé"},
    {"csv.mapping_json", "la correspondance n'est pas du JSON valide (octet {0})"},
    {"csv.mapping_object", "la correspondance doit être un objet JSON"},
    {"csv.mapping_key",
     "clé inconnue (attendu : columns, financial, labels, separator, separators, comment)"},
    {"csv.mapping_organisme",
     "l'organisme ne vient pas du fichier : il est donné par --organisme ou choisi sur la page"},
    {"csv.mapping_field", "champ inconnu du format d'échange (domain.md §7)"},
    {"csv.mapping_header", "doit être le texte de l'en-tête d'une colonne (une chaîne non vide)"},
    {"csv.mapping_columns", "absent ou pas un objet {champ : en-tête de colonne}"},
    {"csv.mapping_required", "obligatoire : nommez la colonne de ce champ"},
    {"csv.mapping_financial", "doit être un objet {nature : en-tête de colonne}"},
    {"csv.mapping_kind",
     "nature financière inconnue (attendu : rappel, indu_detecte, indu_annule, indu_remis)"},
    {"csv.mapping_labels", "doit être un objet {libellé : code}"},
    {"csv.mapping_labels_field",
     "pas un champ à codes (les tables de libellés valent pour les codes et pour fraud)"},
    {"csv.mapping_bool", "doit valoir true, false ou null"},
    {"csv.mapping_code", "code inconnu {0}"},
    {"csv.mapping_empty_label", "libellé vide"},
    {"csv.mapping_label_twice", "libellé en double (aux majuscules et aux accents près)"},
    {"csv.mapping_separator", "doit être une chaîne de 1 à 8 caractères"},
    {"csv.mapping_separators", "doit être un objet {champ : séparateur}"},
    {"csv.mapping_separator_field",
     "pas un champ à plusieurs valeurs (motives, benefits, response_modes)"},
    {"csv.mapping_header_twice", "même colonne que {0}"},
    {"cli.import_format", "format inconnu « {0} » (attendu : jsonl ou csv)"},
    {"cli.csv_mapping_required", "--mapping est obligatoire avec --format csv"},
    {"cli.csv_organisme_required", "--organisme est obligatoire avec --format csv"},
    {"cli.csv_encoding", "encodage inconnu « {0} » (attendu : utf-8 ou windows-1252)"},
    {"cli.csv_delimiter", "séparateur inconnu « {0} » (attendu : ';' ou ',')"},
    {"cli.csv_options_only",
     "--mapping, --organisme, --encoding, --delimiter et --json ne valent qu'avec --format csv"},
    {"cli.csv_read", "CSV {0}, séparateur « {1} »"},
    {"cli.csv_dry_run",
     "vérification seule : {0} cas importables dont {1} références à générer ({2}) ; rien n'a "
     "été écrit"},
    {"cli.csv_imported", "{0} cas importés dont {1} références générées ({2})"},
    {"page.import_title", "Importer des dossiers d'un tableur"},
    {"page.import_role",
     "L'import est réservé aux responsables et aux administrateurs de l'organisme."},
    {"page.import_files", "Choisissez le fichier CSV et le fichier de correspondance."},
    {"page.import_done", "{0} dossiers importés dans l'organisme {1}."},
    {"page.import_too_large", "Un des fichiers dépasse {0}."},

    // Synthetic data (intake/synthetic.cc).
    {"synthetic.organisme", "un code d'organisme compte 3 chiffres : {0}"},
    {"synthetic.dates", "dates hors des années du calendrier"},
    {"synthetic.order", "le début est postérieur à la fin"},
    {"synthetic.cases_per_year", "nombre de dossiers par an hors de 0-1000000"},
    {"synthetic.growth", "croissance annuelle hors de ]-1, 10]"},
    {"synthetic.year_too_full",
     "plus de 99 999 dossiers en {0} (les références ont cinq chiffres)"},

    // The public online form (intake/online_form.cc).
    {"form.characters", "Ce champ contient des caractères non autorisés."},
    {"form.too_long", "Ce champ est trop long ({0} caractères au plus)."},
    {"form.emitter_required", "Indiquez qui dépose la demande."},
    {"form.emitter_choice", "Choisissez une des possibilités proposées."},
    {"form.requester_name",
     "Indiquez votre nom (vous déposez la demande pour quelqu'un d'autre)."},
    {"form.allocataire_required", "Indiquez le numéro d'allocataire (7 chiffres)."},
    {"form.allocataire_digits",
     "Le numéro d'allocataire compte exactement 7 chiffres, par exemple 1234567."},
    {"form.last_name", "Indiquez le nom de l'allocataire."},
    {"form.first_name", "Indiquez le prénom de l'allocataire."},
    {"form.contact_required",
     "Indiquez une adresse électronique ou un numéro de téléphone pour la réponse."},
    {"form.email", "L'adresse électronique n'est pas valide (exemple : nom@exemple.fr)."},
    {"form.phone", "Le numéro de téléphone n'est pas valide (exemple : 04 73 00 00 00)."},
    {"form.prior_required", "Indiquez si vous avez déjà fait une réclamation auprès de la Caf."},
    {"form.prior_date_required", "Indiquez la date de votre réclamation."},
    {"form.prior_date", "La date n'est pas valide (format attendu : JJ/MM/AAAA)."},
    {"form.prior_date_future", "La date de la réclamation ne peut pas être dans le futur."},
    {"form.benefits", "Choisissez les prestations parmi celles proposées."},
    {"form.description_characters", "Le texte contient des caractères non autorisés."},
    {"form.description_required", "Décrivez votre demande (20 caractères au moins)."},
    {"form.description_short",
     "Décrivez votre demande en 20 caractères au moins (vous en avez écrit {0})."},
    {"form.description_long",
     "Votre texte dépasse 5 000 caractères ({0}) : résumez-le ou joignez-le en pièce jointe."},
    {"form.consent", "Cochez la case pour accepter le traitement de vos données."},

    // The command line (cli/): the reason after "amiable: [option: ]".
    {"cli.usage", "{0} (amiable --help pour l'aide)"},
    {"cli.usage_required", "option ou argument obligatoire absent : {0}"},
    {"cli.usage_subcommand", "indiquez une sous-commande"},
    {"cli.usage_extra", "argument inattendu : {0}"},
    {"cli.usage_value", "valeur refusée pour {0}"},
    {"cli.usage_count", "nombre de valeurs incorrect pour {0}"},
    {"cli.usage_excludes", "options incompatibles : {0}"},
    {"cli.usage_requires", "option incomplète : {0}"},
    {"cli.usage_other", "ligne de commande invalide : {0}"},
    {"cli.db_open", "ouverture de la base de données impossible ({0})"},
    {"cli.date", "date invalide « {0} » (attendu AAAA-MM-JJ)"},
    {"cli.date_years", "date {0} hors des années {1}"},
    {"cli.date_order", "{0} est antérieure à FROM {1}"},
    {"cli.year", "année invalide : « {0} » (attendu : {1} à {2})"},
    {"cli.integer", "nombre entier attendu, reçu « {0} »"},
    {"cli.range", "{0} hors de l'intervalle {1}-{2}"},
    {"cli.smtp_url_required", "indiquez le serveur SMTP d'envoi (ou AMIABLE_SMTP_URL)"},
    {"cli.mail_from_required", "indiquez l'adresse d'expédition (ou AMIABLE_MAIL_FROM)"},
    {"cli.smtp_url", "URL SMTP invalide « {0} » (attendu smtp://hôte:port ou smtps://hôte:port)"},
    {"cli.zone_unknown", "zone inconnue « {0} » (zones : {1})"},
    {"cli.organisme_code", "code « {0} » invalide : 3 chiffres attendus"},
    {"cli.organisme_name", "nom invalide (1 à 200 caractères, sans caractère de contrôle)"},
    {"cli.organisme_unknown", "organisme inconnu « {0} »"},
    {"cli.organisme_required", "indiquez au moins un --organisme, ou --all-funds"},
    {"cli.organisme_exclusive", "--organisme et --all-funds s'excluent"},
    {"cli.is_directory", "{0} est un dossier"},
    {"cli.cannot_open", "impossible d'ouvrir {0}"},
    {"cli.cannot_read", "impossible de lire {0}"},
    {"cli.cannot_write", "impossible d'écrire {0}"},
    {"cli.write_interrupted", "écriture de {0} interrompue"},
    {"cli.stdin", "entrée standard"},
    {"cli.stdout", "la sortie standard"},
    {"cli.import_problem", "{0} : 1 problème, rien n'a été importé"},
    {"cli.import_problems", "{0} : {1} problèmes, rien n'a été importé"},
    {"cli.more_problems", "… et {0} autres problèmes"},
    {"cli.user_name",
     "nom de compte invalide (1 à 100 caractères, sans espace ni ponctuation spéciale)"},
    {"cli.user_unknown", "compte inconnu « {0} »"},
    {"cli.user_exists", "le compte « {0} » existe déjà"},
    {"cli.user_disabled", "compte désactivé : {0}"},
    {"cli.role_unknown", "rôle inconnu « {0} » (mediator, manager, administrator, statistics)"},
    {"cli.password_stdin", "aucun mot de passe lu sur l'entrée standard"},
    {"cli.password_interrupted", "saisie du mot de passe interrompue"},
    {"cli.password_mismatch", "les deux saisies diffèrent"},
    {"cli.interest_kind",
     "type de lien inconnu « {0} » (landlord, beneficiary, person, organisation, allocataire)"},
    {"cli.interest_unknown", "aucun lien d'intérêts n° {0}"},
    {"cli.label_too_long", "libellé trop long (200 caractères au plus)"},
    {"cli.file_exists", "« {0} » existe déjà (--force pour le remplacer)"},
    {"cli.backup_postgresql",
     "sauvegarde d'une base PostgreSQL : utilisez pg_dump (amiable backup ne copie que SQLite)"},
    {"cli.backup_done", "Sauvegarde écrite dans {0}."},
    {"cli.output_required", "-o FICHIER est requis"},
    {"cli.report_format", "format inconnu (attendu : pdf, xlsx, csv ou html)"},
    {"cli.trend_negative", "seuils de tendance négatifs"},
    {"cli.report_section",
     "section inconnue (attendu : editorial_director, signature_director, editorial, "
     "signature_mediator, highlights, intro_mediation, intro_who, intro_not, intro_conflict, "
     "commentaries, fraud_focus, findings, plan)"},
    // The one-time import of the report files of earlier versions (rstore).
    {"cli.report_files_imported",
     "textes et chiffres du rapport importés de « {0} » dans la base ({1} texte(s), {2} "
     "agrégat(s), {3} déjà présent(s)) ; dossier renommé « {4} »"},
    {"cli.report_files_not_renamed",
     "textes et chiffres du rapport importés de « {0} » dans la base, mais le dossier n'a pas "
     "pu être renommé ({1}) : renommez-le (il ne sert plus)"},
    {"cli.report_files_none", "aucun dossier « {0} » : rien à importer"},
    {"cli.aggregate_scope", "portée inconnue (attendu : fund, all_funds, national_pole)"},

    // Pages.
    {"page.session_expired", "Votre session a expiré : reconnectez-vous."},
    {"page.csrf", "Jeton de sécurité absent ou invalide : rechargez la page et recommencez."},
    {"page.role", "Votre rôle ne donne pas accès à cette page."},
    {"page.saved", "Modifications enregistrées."},
    {"page.stale_version",
     "Le dossier a été modifié entre-temps : vérifiez-le et recommencez."},
    {"page.published_confirm",
     "Cette modification touche l'année {0}, déjà publiée : cochez la confirmation ci-dessous "
     "et enregistrez de nouveau."},
    {"page.close_unknown",
     "« {0} » est vide : le rapport le comptera « non renseigné ». Renseignez-le dans la "
     "qualification, ou cochez « non renseigné » pour confirmer."},
    {"page.attachment_refused",
     "Demande enregistrée, mais une pièce jointe a été refusée : ajoutez-la depuis le dossier."},

    // Mail: the outbox (store/workspace_store.h QueueOutbox).
    {"mail.recipient_required", "Indiquez l'adresse électronique du destinataire."},
    {"mail.no_relay",
     "Aucun relais SMTP : ni l'organisme (amiable organisme smtp) ni le serveur (--smtp-url) n'en a."},

    // Mail: reading a received message (mail/parse.h).
    {"mail.unreadable", "Message illisible : {0}."},

    // Mail: IMAP client and the mail settings of a fund (mail/imap.h, store/mail_settings.h).
    {"mail.imap_failed", "Boîte aux lettres inaccessible : {0}."},
    {"mail.imap_no_folder", "Le dossier « {0} » n'existe pas dans la boîte aux lettres."},
    {"mail.imap_no_message", "Ce message n'existe plus dans la boîte aux lettres."},
    {"mail.imap_folder_name", "Nom de dossier invalide : « {0} »."},
    {"mail_settings.imap_url",
     "Adresse du serveur IMAP invalide : « {0} » (exemple : imaps://imap.exemple.fr:993)."},
    {"mail_settings.smtp_url",
     "Adresse du relais SMTP invalide : « {0} » (exemple : smtp://smtp.exemple.fr:587)."},
    {"mail_settings.folder", "Indiquez le nom du dossier."},
    {"mail_settings.folder_same",
     "Les dossiers d'archive et de quarantaine doivent être distincts de la boîte de réception."},
    {"mail_settings.credentials",
     "Avec un identifiant, indiquez soit un fichier de mot de passe, soit une variable "
     "d'environnement (l'un des deux) ; sans identifiant, aucun des deux."},
    {"mail_settings.env_name",
     "Nom de variable d'environnement invalide : « {0} » (lettres, chiffres et _)."},
    {"mail_settings.fund_unknown", "Organisme inconnu : « {0} »."},
    {"mail_settings.from_required", "Indiquez l'adresse d'expédition."},
    {"mail_settings.address", "Adresse électronique invalide : « {0} »."},
    {"mail_settings.signature_file", "Fichier de signature illisible : {0}."},
    {"mail_settings.signature_long", "La signature est trop longue (4 000 caractères au plus)."},
    {"mail_settings.match",
     "Critère invalide : « {0} » (une adresse, ou un domaine précédé de @ : @exemple.fr)."},
    {"mail_settings.emitter_unknown", "Émetteur inconnu : « {0} »."},
    {"mail_settings.rule_exists", "Une règle existe déjà pour « {0} »."},
    {"mail_settings.rule_unknown", "Règle inconnue : {0}."},
    {"mail_settings.forbidden",
     "Seuls les administrateurs peuvent modifier les réglages de courrier d'un organisme."},
    {"mail_settings.saved", "Réglages de courrier enregistrés."},
    {"secrets.none", "Aucun mot de passe configuré : indiquez un fichier ou une variable d'environnement."},
    {"secrets.file_unreadable", "Fichier de mot de passe illisible : {0} ({1})."},
    {"secrets.file_empty", "Le fichier de mot de passe {0} est vide."},
    {"secrets.env_unset", "La variable d'environnement {0} n'est pas définie ou est vide."},

    // Internal requests to the fund's services (G@ci).
    {"internal_request.question_required", "Écrivez la question posée au service."},
    {"internal_request.sent", "Demande interne envoyée au service."},
    {"internal_request.answer_recorded", "Réponse du service enregistrée."},
    {"internal_request.question_too_long", "Question trop longue ({0} caractères au plus)."},
    {"internal_request.service_unknown",
     "Service inconnu ou inactif pour l'organisme de ce dossier : « {0} »."},
    {"internal_request.not_found", "Demande interne n° {0} introuvable dans ce dossier."},
    {"internal_request.answer_before_sent",
     "La réponse ne peut pas précéder l'envoi de la demande (le {0})."},
    {"internal_request.answer_in_future", "La date de réponse ne peut pas être dans le futur."},
    {"internal_request.answer_date", "Date de réponse invalide : « {0} » (attendu AAAA-MM-JJ)."},
    {"internal_request.already_answered", "Cette demande a déjà reçu une réponse, le {0}."},
    {"internal_request.role",
     "Seuls les médiateurs et les responsables qui traitent le dossier posent une demande interne."},
    {"internal_request.event_asked", "Demande interne envoyée au {0} : {1}"},
    {"internal_request.event_answered", "Réponse du {0} reçue le {1}"},
    {"internal_request.subject", "[{0}] Demande interne : {1}"},
    {"internal_request.body",
     "Bonjour,\n\nDans le cadre du dossier de médiation {0}, pouvez-vous répondre à la question "
     "suivante ?\n\n{1}\n\nMerci de répondre à ce message en gardant la référence {0} dans "
     "l'objet.\n\nLe médiateur"},
    {"fund_service.role", "Seul un administrateur ou un responsable de l'organisme gère ses services."},
    {"fund_service.code",
     "Code de service invalide : « {0} » (lettres minuscules, chiffres, _ ou -, 40 au plus)."},
    {"fund_service.label_required", "Indiquez le libellé du service (200 caractères au plus)."},
    {"fund_service.address", "Adresse électronique du service invalide : « {0} »."},
    {"interchange.type_internal_requests",
     "doit être une liste d'objets {sent_on, answered_on}, pas {0}"},

    // Retention and data-subject rights (issue 9, part 6: service/privacy.h).
    {"privacy.admin_only", "Réservé aux administrateurs de l'organisme."},
    {"privacy.retention_range",
     "Durée de conservation invalide : {0} (un nombre d'années entre 1 et 100)."},
    {"privacy.no_retention",
     "Aucune durée de conservation n'est fixée pour l'organisme {0} (amiable organisme set "
     "--code {0} --retention-years N, ou --before DATE)."},
    {"privacy.before_future", "La date limite {0} est dans le futur."},
    {"privacy.subject_unknown",
     "Aucun dossier de l'allocataire n° {0} dans l'organisme {1}."},
    {"privacy.reason_required", "Indiquez le motif de la rectification."},
    {"privacy.field_unknown",
     "Champ non rectifiable ici : « {0} » (allocataire_number, description, beneficiary.name, "
     "beneficiary.email, beneficiary.phone, beneficiary.address)."},
    {"privacy.public_text_kind", "Page publique inconnue : « {0} »."},
    {"privacy.public_text_long", "Le texte est trop long (100 000 caractères au plus)."},
    {"privacy.saved", "Texte enregistré."},
    {"privacy.export_format", "format inconnu « {0} » (attendu : json ou pdf)"},
    {"privacy.anonymised_summary",
     "{0} dossier(s) anonymisé(s) pour l'organisme {1} (clos avant le {2}) ; {3} fichier(s) "
     "supprimé(s)."},
    {"privacy.dry_run_summary",
     "Simulation : {0} dossier(s) de l'organisme {1} clos avant le {2} seraient anonymisés ; "
     "rien n'a été modifié."},
    {"privacy.purged_summary",
     "{0} dossier(s) anonymisé(s) supprimé(s) ; chiffres figés : {1}."},
    {"privacy.exported", "Données de l'allocataire écrites dans {0}."},
    {"privacy.rectified", "Rectification enregistrée dans l'historique du dossier {0}."},
    {"privacy.retention_set", "Durée de conservation de l'organisme {0} : {1}."},

    // Letters and their templates.
    {"letter.template_unknown", "Modèle de courrier inconnu : « {0} »."},
    {"letter.template_unclosed_tag", "Balise non fermée (ligne {0}, colonne {1})."},
    {"letter.template_unclosed_section",
     "La section « {0} » n'est pas fermée (ligne {1}, colonne {2}) : ajoutez {{/{0}}}."},
    {"letter.template_unopened_section",
     "La section « {0} » est fermée sans avoir été ouverte (ligne {1}, colonne {2})."},
    {"letter.template_delimiter", "Changement de délimiteurs invalide (ligne {0}, colonne {1})."},
    {"letter.template_invalid", "Modèle invalide : {0}"},
    {"letter.template_partial_unknown",
     "Le bloc « {0} » n'existe pas (blocs : opening, closing, signature)."},
    {"letter.template_too_long", "Le modèle est trop long (au plus 20 000 caractères)."},
    {"letter.subject_required", "Indiquez l'objet du courrier."},
    {"letter.body_required", "Le texte du courrier est vide."},
    {"letter.mode_unknown", "Mode d'envoi inconnu : « {0} » (courriel ou courrier)."},
    {"letter.no_email",
     "Le demandeur n'a pas d'adresse électronique : produisez le courrier pour un envoi postal."},
    {"letter.orientation_required", "Choisissez l'orientation dans la liste de la Caf."},
    {"letter.orientation_unknown", "Orientation inconnue dans la liste de la Caf : « {0} »."},
    {"letter.orientation_label_required", "Indiquez le libellé de l'orientation."},
    {"letter.orientation_code", "Code d'orientation invalide : lettres minuscules, chiffres, « _ »."},
    {"letter.pdf_failed", "Le courrier PDF n'a pas pu être produit."},
    {"letter.no_document_folder", "Aucun dossier de documents n'est configuré pour les courriers."},
    {"letter.render_failed", "Le courrier n'a pas pu être composé : {0}"},
    {"page.letter_queued", "Courriel mis en file d'envoi ; il figure dans l'historique du dossier."},
    {"page.letter_produced",
     "Courrier produit pour l'envoi postal et classé dans les documents du dossier."},
    {"page.template_saved", "Modèle enregistré."},
    {"page.template_reset", "Modèle par défaut rétabli."},

    // Mail intake (service/mail_intake.h).
    {"intake.duplicate", "Message déjà reçu."},
    {"intake.mailbox_busy", "La boîte aux lettres de l'organisme {0} est relevée par un autre serveur."},
    {"intake.internal_answer", "Réponse d'un service à une demande interne."},
    {"intake.too_large", "Message trop volumineux pour être lu ({0} Mo) : à traiter à la main."},
    {"intake.own_message", "Copie d'un message envoyé par amiable."},
    {"intake.not_found", "Message reçu introuvable : n° {0}."},
    {"intake.unreadable", "Message illisible."},
    {"intake.automatic_unattached", "Réponse automatique non rattachée."},
    {"intake.reply_to_sent", "Réponse à un message envoyé depuis le dossier."},
    {"intake.reply_in_thread", "Suite d'un échange déjà rattaché au dossier."},
    {"intake.reference_named", "Le message cite la référence du dossier."},
    {"intake.case_by_hand", "Dossier créé à la main depuis la quarantaine."},
    {"intake.no_text", "Message reçu sans texte."},
    {"intake.bounced", "Le message n'a pas pu être remis à son destinataire."},
    {"intake.not_quarantined", "Ce message n'est plus en quarantaine."},
    {"intake.discard_reason", "Indiquez pourquoi ce message est écarté."},
    {"intake.mailbox_unknown", "Aucune boîte aux lettres n'est configurée pour l'organisme {0}."},
    {"intake.file_unreadable", "Fichier illisible : {0}."},
    // Received mail in the workspace (web/pages_mail.cc): the quarantine
    // page, the dashboard's flagged messages, the .eml dropped on the
    // registration page, the reply from the case.
    {"page.mail_retried_joined", "Message relu : il est rattaché au dossier."},
    {"page.mail_still_quarantined", "Message relu : il reste en quarantaine, les règles ne le rattachent à aucun dossier."},
    {"page.mail_case_created", "Dossier créé à partir du message."},
    {"page.mail_discarded", "Message écarté de la quarantaine."},
    {"page.mail_seen", "Message marqué comme vu."},
    {"page.mail_joined_thread", "Courriel importé : il rejoint la correspondance du dossier."},
    {"page.mail_quarantined", "Courriel importé : il est en quarantaine, à examiner."},
    {"page.mail_duplicate", "Ce courriel a déjà été reçu : rien n'a été ajouté."},
    {"page.eml_required", "Choisissez un fichier de courriel (.eml)."},
    {"page.eml_organisme", "Choisissez l'organisme destinataire du courriel."},
    {"letter.in_reply_to_unknown", "Le message auquel vous répondez n'appartient pas à ce dossier."},
    // Uploads streamed to disk (web/upload_form.h, issue 9 part 3).
    {"page.eml_too_large", "Le fichier du courriel dépasse {0}."},
    {"page.upload_failed", "L'envoi n'a pas pu être enregistré. Réessayez plus tard."},
    // Sign-in, sessions, password policy and second factor (issue 9 part 1
    // and 4: web/pages_signin.cc, web/password_policy.cc, web/totp.cc).
    {"signin.refused", "Identifiant ou mot de passe incorrect, ou trop d'essais : réessayez plus tard."},
    {"signin.form_expired", "Le formulaire a expiré : saisissez à nouveau vos identifiants."},
    {"signin.failed", "La connexion a échoué. Réessayez."},
    {"signin.code_refused", "Code incorrect ou déjà utilisé, ou trop d'essais : réessayez."},
    {"signin.code_expired", "La vérification a expiré : reconnectez-vous."},
    {"signin.session_idle", "Votre session a pris fin après une période d'inactivité : reconnectez-vous."},
    {"signin.alert_subject", "Essais de connexion infructueux sur votre compte"},
    {"signin.alert_body",
     "Bonjour,\n\n{0} essais de connexion infructueux ont eu lieu sur votre compte {1} depuis "
     "{2} (heure UTC).\n\nSi ce n'était pas vous, changez votre mot de passe et activez la "
     "vérification en deux étapes. Votre compte reste utilisable.\n"},
    {"signin.unlocked", "Les compteurs d'essais de connexion de {0} sont effacés ({1} compteurs)."},
    {"page.user_unlocked", "Compteurs d'essais de connexion effacés : le compte est déverrouillé."},
    {"password.too_short", "Mot de passe trop court : {0} caractères au moins."},
    {"password.too_long", "Mot de passe trop long ({0} caractères au plus)."},
    {"password.dictionary", "Mot de passe refusé : il est fondé sur un mot du dictionnaire."},
    {"password.user_name", "Mot de passe refusé : il contient l'identifiant du compte."},
    {"password.too_simple", "Mot de passe refusé : il est trop simple (trop peu de caractères différents, suite ou répétition)."},
    {"password.palindrome", "Mot de passe refusé : c'est un palindrome."},
    {"password.weak", "Mot de passe refusé : il est trop faible, choisissez une phrase plus longue."},
    {"second_factor.code_wrong", "Code incorrect : vérifiez l'heure de votre téléphone et recommencez."},
    {"second_factor.already", "La vérification en deux étapes est déjà activée pour ce compte."},
    {"second_factor.enabled", "Vérification en deux étapes activée. Conservez vos codes de secours."},
    {"second_factor.sso", "Les comptes de connexion unique utilisent la vérification de leur fournisseur."},
    {"second_factor.required", "Votre rôle exige la vérification en deux étapes : activez-la pour continuer."},

    // Single sign-on with OpenID Connect (web/pages_oidc.cc).
    {"sso.button", "Se connecter avec {0}"},
    {"sso.failed", "La connexion unique n'a pas abouti : réessayez, ou connectez-vous avec "
                   "votre identifiant et votre mot de passe."},
    {"sso.expired", "La demande de connexion a expiré : recommencez."},
    {"sso.no_role", "Votre compte n'a pas de rôle dans amiable : demandez-le à votre "
                    "administrateur."},
    {"sso.refused", "Ce compte ne peut pas se connecter : adressez-vous à l'administrateur."},

    // Partner access (service/partner_service.h, pages_partner.cc).
    {"partner.role", "Votre rôle ne permet pas cette action sur les partenaires du dossier."},
    {"partner.read_only", "Un partenaire ne modifie pas le dossier : il échange des messages "
                          "et des pièces avec le médiateur."},
    {"partner.unknown", "« {0} » n'est pas un compte partenaire actif."},
    {"partner.body_required", "Écrivez votre message."},
    {"partner.body_too_long", "Le message est trop long (20 000 caractères au plus)."},
    {"partner.too_many_files", "Joignez au plus {0} fichiers par message."},
    {"partner.posted", "Message déposé."},
    {"partner.granted", "Accès du partenaire accordé."},
    {"partner.revoked", "Accès du partenaire retiré."},
    {"partner.created", "Dossier créé."},
    // Audit trail (issue 9, part 5): store/audit_chain.h, store/sql_audit.cc,
    // cli/audit_cmd.cc, web/pages_journal.cc.
    {"audit.verify_ok", "Journal intègre : {0} lignes"},
    {"audit.verify_unsealed", "Journal pas encore scellé : aucune écriture depuis la migration 15."},
    {"audit.finding_modified", "ligne {0} : modifiée"},
    {"audit.finding_inserted", "ligne {0} : insérée"},
    {"audit.finding_missing", "ligne {0} : manquante"},
    {"audit.finding_missing_range", "lignes {0} à {1} : manquantes"},
    {"audit.finding_inserted_unnumbered", "ligne sans numéro (identifiant {0}) : insérée"},
    {"audit.finding_head_missing", "tête du journal absente hors de la base ({0}) : une fin coupée ne serait pas vue"},
    {"audit.finding_head_modified", "tête du journal hors de la base modifiée ou illisible ({0})"},
    {"audit.finding_checkpoint_modified", "point de contrôle {0} : modifié"},
    {"audit.key_missing", "clé du journal introuvable : {0} (--audit-key-file ou AMIABLE_AUDIT_KEY_FILE)"},
    {"audit.key_malformed", "clé du journal illisible : {0} (64 chiffres hexadécimaux attendus)"},
    {"audit.head_malformed", "tête du journal illisible : {0}"},
    {"audit.file_unreadable", "fichier du journal inaccessible : {0} ({1})"},
    {"audit.prune_gap", "la ligne {0} du journal manque : vérifiez le journal avant de l'élaguer"},
    {"audit.prune_refused", "le journal n'est pas intègre : rien n'est élagué (amiable audit verify)"},
    {"audit.pruned", "{0} lignes du journal supprimées ; point de contrôle écrit."},
    {"audit.prune_nothing", "Aucune ligne du journal à élaguer avant cette date."},
    {"audit.exported", "{0} lignes du journal écrites dans {1}."},
    {"audit.forbidden", "Le journal est réservé au délégué à la protection des données et aux administrateurs."},
    {"audit.bad_range", "la date de début est postérieure à la date de fin"},
    {"audit.retention_bad", "la durée de conservation du journal se compte en mois, 1 ou plus"},
    {"page.journal_title", "Journal des accès"},
    {"page.journal_empty", "Aucune ligne du journal pour ces critères."},

    // The fund's logo and colour (pages_branding.cc; issue 10).
    {"branding.saved", "Logo et couleur enregistrés : ils figurent sur le prochain rapport produit."},
    {"branding.role", "Seuls les responsables et les administrateurs modifient le logo et la couleur."},
    {"branding.logo_png_only",
     "Logo : seules les images PNG sont acceptées (le format JPEG ne peut pas être dessiné dans le "
     "rapport PDF sur cette installation). Enregistrez le logo en PNG et envoyez-le à nouveau."},
    {"branding.logo_too_large", "Logo : le fichier dépasse {0} Kio ; réduisez l'image et envoyez-la à nouveau."},
    {"branding.colour_invalid",
     "Couleur : « {0} » n'est pas une couleur #RRVVBB (six chiffres hexadécimaux), par exemple #1F5FA8."},
    {"branding.fund_required", "Organisme : choisissez l'organisme dont c'est le logo."},
    // The mediator's texts of the report (issue 10, texts): checks of
    // report/texts.cc CheckText ({0}: the section's title) and the editor.
    {"report.text_too_long", "« {0} » : le texte dépasse la taille autorisée ({1} caractères)."},
    {"report.text_not_highlights", "« {0} » : le tableau des temps forts est illisible."},
    {"report.signature_lines", "« {0} » : deux lignes au plus (le nom, puis la fonction)."},
    {"report.signature_too_long", "« {0} » : une ligne dépasse 200 caractères."},
    {"report.commentaries_invalid", "Commentaires des chiffres : format illisible."},
    {"report.commentary_unknown_section",
     "Commentaires des chiffres : « {0} » n'est pas une section des chiffres du rapport."},
    {"report.text_form_unknown", "Formulaire de texte inconnu : rechargez la page."},
    {"report.text_reset", "Texte par défaut rétabli."},
    // The years side by side (pages_years.cc; issue 10, part 7).
    {"page.years_title", "Chiffres par année"},
    {"page.years_none", "Aucun dossier reçu ou clos pour ces organismes : aucune année à afficher."},
    {"figures.years_failed", "Les chiffres par année n'ont pas pu être calculés."},
    // ---- national report and settings (issue 10, helper national) ----
    {"report.national_register_unreadable", "Le registre des préconisations n'a pas pu être lu : cette partie du rapport est vide."},
    {"report.national_forbidden", "Le rapport national est réservé au pôle national et aux administrateurs."},
    {"report.national_no_recommendation", "Aucune préconisation enregistrée"},
    {"report.national_format_unknown", "Format inconnu : choisissez pdf, xlsx, csv ou html."},
    {"cli.national_exclusive", "--national ne se combine pas avec --organisme : le rapport national couvre toutes les Caf."},
    {"cli.setting_unknown", "paramètre inconnu : {0} (connus : {1})"},
    {"cli.setting_value", "valeur invalide pour {0} : {1}"},
    {"cli.setting_set", "{0} = {1}"},
    {"cli.setting_cleared", "{0} supprimé"},
    {"cli.setting_absent", "{0} n'est pas défini"},
    {"cli.national_pole_unknown", "la Caf {0} n'existe pas dans la base : créez-la (amiable organisme add) avant de la désigner comme pôle national"},
    {"cli.national_register_warning", "attention : le registre des préconisations n'a pas pu être lu ({0}) ; le rapport est produit sans les préconisations"},
    // Issue 11, part figs: the figures cache checked against a recomputation.
    {"cli.figures_verify_equal", "chiffres {0} : identiques au recalcul complet ({1} organismes, dont {2} servis par le cache)"},
    {"cli.figures_verify_differs", "chiffres {0} : le cache diffère du recalcul complet — {1}"},
    // ---- package, configuration, local time per fund (issue 11, helper pkg) ----
    {"calendar.tzdata_missing", "base des fuseaux horaires introuvable ({0}) : installez le paquet tzdata"},
    {"cli.config_missing", "fichier de configuration introuvable : {0}"},
    {"cli.config_invalid", "fichier de configuration illisible : {0}"},
};

const std::vector<Entry>& Sorted() {
  static const std::vector<Entry> kSorted = [] {
    std::vector<Entry> v(std::begin(kEntries), std::end(kEntries));
    std::sort(v.begin(), v.end(), [](const Entry& a, const Entry& b) { return a.id < b.id; });
    return v;
  }();
  return kSorted;
}

}  // namespace

std::span<const Entry> All() { return Sorted(); }

const char* Find(std::string_view id) {
  const auto& v = Sorted();
  auto it = std::lower_bound(v.begin(), v.end(), id,
                             [](const Entry& e, std::string_view k) { return e.id < k; });
  if (it == v.end() || it->id != id) return nullptr;
  return it->text.data();  // string literals: NUL-terminated
}

std::string Format(std::string_view id, std::initializer_list<std::string_view> args) {
  const char* text = Find(id);
  if (text == nullptr) return "Erreur : " + std::string(id);
  std::string out;
  for (const char* p = text; *p != '\0'; ++p) {
    if (*p == '{' && p[1] >= '0' && p[1] <= '9' && p[2] == '}') {
      const size_t i = static_cast<size_t>(p[1] - '0');
      if (i < args.size()) out += *(args.begin() + i);
      p += 2;
      continue;
    }
    out += *p;
  }
  return out;
}

Error Make(Error::Code code, std::string_view id, std::string field,
           std::initializer_list<std::string_view> args) {
  Error e{code, Format(id, args), std::move(field), 0, {}};
  e.message_id = std::string(id);
  return e;
}

std::string_view KeyOf(const Error& e) {
  if (!e.message_id.empty()) return e.message_id;
  switch (e.code) {
    case Error::Code::kInvalid:
      return "error.invalid";
    case Error::Code::kUnauthorized:
      return "error.unauthorized";
    case Error::Code::kForbidden:
      return "error.forbidden";
    case Error::Code::kNotFound:
      return "error.not_found";
    case Error::Code::kConflict:
      return "error.conflict";
    case Error::Code::kTooLarge:
      return "error.too_large";
    case Error::Code::kUnavailable:
      return "error.unavailable";
    case Error::Code::kInternal:
      break;
  }
  return "error.internal";
}

}  // namespace amiable::msg
