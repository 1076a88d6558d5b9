# The Debian package of amiable (issue 11, item 1): `make deb` builds the
# program, then runs CPack's DEB generator here. Layout:
#   /usr/bin/amiable                      the program (stripped)
#   /usr/share/amiable/web/{templates,static}   the web root (htmx in static/vendor)
#   /lib/systemd/system/amiable.service   the unit (deploy/amiable.service)
#   /etc/amiable/amiable.conf             the configuration (a conffile)
#   /usr/share/doc/amiable/               README, operations and security guides
# Depends: the shared libraries the program links (dpkg-shlibdeps) and what
# it reads at run time: tzdata, the DejaVu fonts of the PDFs, adduser for the
# maintainer scripts. No compiler, Chromium or Node.

# htmx, from the npm package (web/node_modules, `scripts/bootstrap`), copied
# into the web root at build time: the server never serves node_modules.
set(AMIABLE_HTMX_SRC ${CMAKE_SOURCE_DIR}/web/node_modules/htmx.org/dist/htmx.min.js)
set(AMIABLE_HTMX_DST ${CMAKE_SOURCE_DIR}/web/static/vendor/htmx.min.js)
if(EXISTS ${AMIABLE_HTMX_SRC})
  add_custom_command(OUTPUT ${AMIABLE_HTMX_DST}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${CMAKE_SOURCE_DIR}/web/static/vendor
    COMMAND ${CMAKE_COMMAND} -E copy ${AMIABLE_HTMX_SRC} ${AMIABLE_HTMX_DST}
    DEPENDS ${AMIABLE_HTMX_SRC}
    COMMENT "htmx: web/node_modules/htmx.org -> web/static/vendor")
  add_custom_target(amiable_web_assets ALL DEPENDS ${AMIABLE_HTMX_DST})
  add_dependencies(amiable amiable_web_assets)
else()
  message(WARNING "web/node_modules/htmx.org is missing (run scripts/bootstrap): "
                  "the pages will have no htmx and the package cannot be built")
endif()

# `make deb` builds the program only, not the tests, before packaging.
set(CMAKE_SKIP_INSTALL_ALL_DEPENDENCY TRUE)
install(TARGETS amiable RUNTIME DESTINATION bin)
install(DIRECTORY ${CMAKE_SOURCE_DIR}/web/templates ${CMAKE_SOURCE_DIR}/web/static
        DESTINATION share/amiable/web)
install(FILES ${CMAKE_SOURCE_DIR}/deploy/amiable.service DESTINATION /lib/systemd/system)
install(FILES ${CMAKE_SOURCE_DIR}/deploy/amiable.conf DESTINATION /etc/amiable)
install(FILES ${CMAKE_SOURCE_DIR}/README.md ${CMAKE_SOURCE_DIR}/docs/operations.md
              ${CMAKE_SOURCE_DIR}/docs/security.md
        DESTINATION share/doc/amiable)
install(FILES ${CMAKE_SOURCE_DIR}/deploy/nginx/amiable.conf
        DESTINATION share/doc/amiable/examples RENAME nginx-amiable.conf)

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME amiable)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "Équipe amiable <amiable@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "médiation administrative des Caf (serveur et outils)")
set(CPACK_PACKAGE_DESCRIPTION
    "amiable enregistre les demandes de médiation des caisses d'allocations familiales,\n"
    "suit les délais et les dossiers, et calcule les chiffres du rapport annuel,\n"
    "sur SQLite (une Caf) ou PostgreSQL (déploiement national).")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_SET_DESTDIR ON)
set(CPACK_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES TRUE)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)  # amiable_<version>_amd64.deb
set(CPACK_DEBIAN_PACKAGE_SECTION misc)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_COMPRESSION_TYPE gzip)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "tzdata, fonts-dejavu-core, adduser")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "postgresql, nginx-light")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    ${CMAKE_SOURCE_DIR}/deploy/debian/conffiles ${CMAKE_SOURCE_DIR}/deploy/debian/postinst
    ${CMAKE_SOURCE_DIR}/deploy/debian/prerm ${CMAKE_SOURCE_DIR}/deploy/debian/postrm)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION TRUE)
include(CPack)
