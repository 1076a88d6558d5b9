#!/usr/bin/env bash
# End to end: `amiable organisme add`, `import`, `export` on a temporary SQLite
# file. The fixture must come back from export as the same JSON objects (null
# is the same as absent); every malformed file must be refused with the
# expected "ligne N : champ" text, exit code 2 and nothing written.
# Run by scripts/test with AMIABLE_BIN set to the binary.
set -euo pipefail
shopt -s lastpipe  # `... | refused` runs in this shell and can count failures
cd "$(dirname "$0")/.."
BIN=${AMIABLE_BIN:-$PWD/build/amiable}
FIXTURE=$PWD/tests/fixtures/examples/cases-small.jsonl
PY=/usr/bin/python3
tmp=$(mktemp -d /tmp/amiable-import-test.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
DB=sqlite:$tmp/a.db
failures=0

fail() {
  echo "FAIL: $*" >&2
  failures=$((failures + 1))
}

am() { "$BIN" --db "$DB" "$@"; }

# Compares two JSONL files as sets of JSON objects keyed by reference, with
# null values dropped. Prints the differences; exits non-zero when any.
same_cases() {
  "$PY" - "$1" "$2" <<'EOF'
import json, sys
def load(path):
    out = {}
    with open(path, encoding="utf-8-sig") as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            d = {k: v for k, v in json.loads(line).items() if v is not None}
            if d["reference"] in out:
                sys.exit(f"{path}: duplicate reference {d['reference']} on line {n}")
            out[d["reference"]] = d
    return out
a, b = load(sys.argv[1]), load(sys.argv[2])
bad = 0
for ref in sorted(set(a) | set(b)):
    if a.get(ref) != b.get(ref):
        print(f"{ref}:\n  {a.get(ref)}\n  {b.get(ref)}")
        bad += 1
sys.exit(1 if bad else 0)
EOF
}

# ---- funds
am organisme add --code 631 --name "Caf du Puy-de-Dôme" --zone metropole --region 84 2>/dev/null
am organisme add --code 671 --name "Caf du Bas-Rhin" --zone alsace_moselle 2>/dev/null
am organisme add --code 974 --name "Caf de La Réunion" --zone reunion 2>/dev/null
codes=$(am organisme list --json | "$PY" -c 'import json,sys; print(" ".join(o["code"]+":"+o["zone"] for o in json.load(sys.stdin)))')
[ "$codes" = "631:metropole 671:alsace_moselle 974:reunion" ] || fail "organisme list: $codes"
rc=0; am organisme add --code 63 --name x --zone metropole 2>/dev/null || rc=$?
[ $rc -eq 2 ] || fail "organisme add with a 2-digit code: exit $rc"
rc=0; am organisme add --code 632 --name x --zone atlantide 2>/dev/null || rc=$?
[ $rc -eq 2 ] || fail "organisme add with an unknown zone: exit $rc"

# ---- dry run writes nothing
out=$(am import --dry-run "$FIXTURE")
echo "$out" | grep -q "50 cas" || fail "dry run output: $out"
[ -z "$(am export 2>/dev/null)" ] || fail "dry run wrote cases"

# ---- import, export, compare
out=$(am import "$FIXTURE")
echo "$out" | grep -q "^50 cas importés (3 organismes" || fail "import output: $out"
am export >"$tmp/export.jsonl" 2>/dev/null
[ "$(wc -l <"$tmp/export.jsonl")" -eq 50 ] || fail "export has $(wc -l <"$tmp/export.jsonl") lines"
same_cases "$FIXTURE" "$tmp/export.jsonl" || fail "export differs from the imported fixture"
am export -o "$tmp/export-file.jsonl" 2>/dev/null
cmp -s "$tmp/export.jsonl" "$tmp/export-file.jsonl" || fail "export -o differs from stdout"
[ -z "$(ls "$tmp" | grep '\.tmp-' || true)" ] || fail "export -o left a temporary file"

# Canonical form: exporting a re-import gives the same bytes.
DB2=sqlite:$tmp/b.db
for o in "631 metropole" "671 alsace_moselle" "974 reunion"; do
  set -- $o
  "$BIN" --db "$DB2" organisme add --code "$1" --name "Caf $1" --zone "$2" 2>/dev/null
done
"$BIN" --db "$DB2" import - <"$tmp/export.jsonl" >/dev/null || fail "re-import from stdin"
"$BIN" --db "$DB2" export 2>/dev/null | cmp -s - "$tmp/export.jsonl" || fail "export is not stable"

# Filters.
n=$(am export --organisme 974 2>/dev/null | wc -l)
want=$(grep -c '"organisme": "974"' "$FIXTURE")
[ "$n" -eq "$want" ] || fail "export --organisme 974: $n lines, want $want"
n=$(am export --organisme 631 --organisme 671 --year 2025 2>/dev/null | wc -l)
want=$("$PY" -c '
import json, sys
print(sum(1 for l in open(sys.argv[1]) if (d := json.loads(l))["organisme"] in ("631", "671")
          and d["received_on"].startswith("2025")))' "$FIXTURE")
[ "$n" -eq "$want" ] || fail "export --organisme 631 --organisme 671 --year 2025: $n lines, want $want"
rc=0; am export --organisme 999 >/dev/null 2>&1 || rc=$?
[ $rc -eq 3 ] || fail "export of an unknown organisme: exit $rc"

# ---- malformed files: refused, every problem named, nothing written
good() {  # a valid line with reference $1
  printf '{"reference":"%s","organisme":"631","received_on":"2025-03-03","admissibility":"recevable","channel":"courriel"}' "$1"
}
refused() {  # refused NAME EXPECTED-TEXT < file
  local name=$1 expected=$2 rc=0
  cat >"$tmp/$name.jsonl"
  am import "$tmp/$name.jsonl" >"$tmp/out" 2>"$tmp/err" || rc=$?
  if [ $rc -ne 2 ]; then
    fail "$name: exit code $rc, want 2"
  elif ! grep -qF -- "$expected" "$tmp/err"; then
    fail "$name: stderr lacks '$expected':"
    sed 's/^/    /' "$tmp/err" >&2
  fi
  grep -q "rien n'a été importé" "$tmp/err" || fail "$name: no summary line"
}
before=$(am export 2>/dev/null | sha256sum)
{ good N-1; echo; good N-2; echo; echo '{"reference":"N-3","organisme":"631","received_on":"2025-03-03","admissibility":"recevable","colour":"red"}'; } |
  refused unknown-key "ligne 3 : colour : clé inconnue"
{ good N-1; echo; good N-2; echo; echo '{"reference":"N-3","organisme":"631","received_on":"2025-03-03","admissibility":"recevable","channel":"pigeon"}'; } |
  refused unknown-code "ligne 3 : channel : code inconnu « pigeon » pour channel"
{ good N-1; echo; good N-2; echo; echo '{"reference":"N-3","organisme":"631","received_on":"2025-03-03","admissibility":"recevable","benefits":["rsa","apl"]}'; } |
  refused unknown-code-in-list "ligne 3 : benefits[1] : code inconnu « apl » pour benefit"
{ good N-1; echo; good N-2; echo; echo '{"reference":"N-3","organisme":"631","received_on":"03/03/2025","admissibility":"recevable"}'; } |
  refused bad-date "ligne 3 : received_on : doit être une date AAAA-MM-JJ"
{ good N-1; echo; good N-2; echo; echo '{"reference":"N-3","organisme":"631","received_on":"2025-02-29","admissibility":"recevable"}'; } |
  refused impossible-date "ligne 3 : received_on : date impossible « 2025-02-29 »"
{ good N-1; echo; good N-2; echo; echo '{"reference":"N-3","organisme":"631","received_on":"2025-03-03","admissibility":"recevable","closed_on":"2025-03-01"}'; } |
  refused date-order "ligne 3 : closed_on : antérieure à received_on (2025-03-03)"
{ good N-1; echo; good N-2; echo; good N-1; echo; } |
  refused duplicate-reference "ligne 3 : reference : référence « N-1 » en double (déjà ligne 1)"
{ good N-1; echo; good N-2; echo; good 631-2024-00051; echo; } |
  refused stored-reference "ligne 3 : reference : la référence « 631-2024-00051 » existe déjà"
{ good N-1; echo; good N-2; echo; echo '{"reference":"N-3","organisme":"631","received_on":"2025-03-03"}'; } |
  refused missing-field "ligne 3 : admissibility : absent (obligatoire)"
{ good N-1; echo; good N-2; echo; printf '{"reference":"N-\xff","organisme":"631","received_on":"2025-03-03","admissibility":"recevable"}\n'; } |
  refused invalid-utf8 "ligne 3 : UTF-8 invalide à l'octet 17"
{ good N-1; echo; good N-2; echo; echo '{"reference":"N-3","organisme":"631",'; } |
  refused invalid-json "ligne 3 : JSON invalide"
{ good N-1; echo; good N-2; echo; echo '{"reference":"N-3","organisme":"631","received_on":"2025-03-03","admissibility":"recevable","quotient_familial":"420"}'; } |
  refused wrong-type "ligne 3 : quotient_familial : doit être un nombre entier, pas une chaîne"
{ good N-1; echo; good N-2; echo; echo '{"reference":"N-3","organisme":"999","received_on":"2025-03-03","admissibility":"recevable"}'; } |
  refused unknown-organisme "ligne 3 : organisme : organisme inconnu « 999 »"
{ good N-1; echo; good N-2; echo; echo '{"reference":"N-3","organisme":"631","received_on":"2025-03-03","admissibility":"recevable","financial":[{"kind":"rappel","amount_cents":12.5}]}'; } |
  refused financial "ligne 3 : financial[0].amount_cents : doit être un nombre entier (reçu 12.5)"
# Every problem of a file is listed, not just the first.
{ echo '{"reference":"M-1","organisme":"631","received_on":"2025-03-03","admissibility":"oui"}'; good M-2; echo; echo '[]'; } |
  refused several "ligne 1 : admissibility : code inconnu « oui » pour admissibility"
grep -qF "ligne 3 : une ligne doit être un objet JSON, pas une liste" "$tmp/err" || fail "several: line 3 not reported"
[ "$(grep -c '^ligne ' "$tmp/err")" -eq 2 ] || fail "several: $(grep -c '^ligne ' "$tmp/err") problems listed, want 2"
# The display stops at 1000 problems and says how many more there are.
"$PY" -c 'print("\n".join("{}" for _ in range(300)))' | refused many "… et 200 autres problèmes"
[ "$(grep -c '^ligne ' "$tmp/err")" -eq 1000 ] || fail "many: $(grep -c '^ligne ' "$tmp/err") lines shown"
after=$(am export 2>/dev/null | sha256sum)
[ "$before" = "$after" ] || fail "a refused import changed the stored cases"

# ---- CRLF line ends, a byte-order mark and blank lines are accepted
{ printf '\xef\xbb\xbf'; good C-1; printf '\r\n\r\n'; good C-2; printf '\r\n'; } >"$tmp/crlf.jsonl"
out=$(am import "$tmp/crlf.jsonl") || fail "CRLF file refused"
echo "$out" | grep -q "^2 cas importés" || fail "CRLF import output: $out"

# ---- a missing file
rc=0; am import "$tmp/nope.jsonl" 2>/dev/null || rc=$?
[ $rc -ne 0 ] || fail "importing a missing file succeeded"

if [ $failures -ne 0 ]; then
  echo "import_export_test: $failures failure(s)" >&2
  exit 1
fi
echo "import_export_test: ok"
