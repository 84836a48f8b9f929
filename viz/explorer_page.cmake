# The explorer page's skeleton, script and style (explorer_page.{html,js,css})
# compiled into bidilab_viz as strings: embed_assets.cmake writes them as raw
# string literals at build time, again whenever one of them changes.
set(explorer_assets ${CMAKE_CURRENT_BINARY_DIR}/explorer_page_assets.cpp)
add_custom_command(
  OUTPUT ${explorer_assets}
  COMMAND ${CMAKE_COMMAND} -DHTML=${CMAKE_CURRENT_SOURCE_DIR}/explorer_page.html
          -DSCRIPT=${CMAKE_CURRENT_SOURCE_DIR}/explorer_page.js -DSTYLE=${CMAKE_CURRENT_SOURCE_DIR}/explorer_page.css
          -DOUT=${explorer_assets} -P ${CMAKE_CURRENT_SOURCE_DIR}/embed_assets.cmake
  DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/explorer_page.html ${CMAKE_CURRENT_SOURCE_DIR}/explorer_page.js
          ${CMAKE_CURRENT_SOURCE_DIR}/explorer_page.css ${CMAKE_CURRENT_SOURCE_DIR}/embed_assets.cmake
  COMMENT "Embedding the explorer page's assets")
target_sources(bidilab_viz PRIVATE ${explorer_assets})
