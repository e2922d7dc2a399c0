# Lays out build/share from the source tree:
#   templates/<module>/<name>.mustache   from src/**/templates/
#   messages/<lang>/<module>.json        from src/**/messages/<lang>.json
#   static/                              our own CSS, JS and images
#   govuk/                               govuk-frontend's precompiled dist (CSS, JS) from node_modules
#   data/                                demo data and the common-password list
file(REMOVE_RECURSE ${DST}/templates ${DST}/messages)
file(GLOB_RECURSE templates ${SRC}/src/*.mustache)
list(FILTER templates INCLUDE REGEX "/templates/[^/]+\\.mustache$")
foreach(t ${templates})
  string(REGEX REPLACE ".*/([^/]+)/templates/([^/]+)$" "\\1/\\2" rel ${t})
  configure_file(${t} ${DST}/templates/${rel} COPYONLY)
endforeach()
file(GLOB_RECURSE catalogues ${SRC}/src/*.json)
list(FILTER catalogues INCLUDE REGEX "/messages/[^/]+\\.json$")
foreach(c ${catalogues})
  string(REGEX REPLACE ".*/([^/]+)/messages/([^/]+)\\.json$" "\\2/\\1.json" rel ${c})
  configure_file(${c} ${DST}/messages/${rel} COPYONLY)
endforeach()
if(EXISTS ${SRC}/static)
  file(COPY ${SRC}/static/ DESTINATION ${DST}/static)
endif()
if(EXISTS ${SRC}/data)
  file(COPY ${SRC}/data/ DESTINATION ${DST}/data)
endif()
set(gf ${SRC}/node_modules/govuk-frontend/dist/govuk)
if(EXISTS ${gf}/govuk-frontend.min.css)
  file(COPY ${gf}/govuk-frontend.min.css ${gf}/govuk-frontend.min.js DESTINATION ${DST}/govuk)
else()
  message(WARNING "govuk-frontend is not installed: run ./setup")
endif()
file(TOUCH ${DST}/.stamp)
