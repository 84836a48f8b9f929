# Writes OUT, a header with the git revision of SRC (`git describe --always
# --dirty`, "unknown" without git), only when it changed: run at every build.
execute_process(COMMAND git -C "${SRC}" describe --always --dirty
                OUTPUT_VARIABLE revision OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET RESULT_VARIABLE failed)
if(failed OR revision STREQUAL "")
  set(revision "unknown")
endif()
set(text "#define BIDILAB_REVISION \"${revision}\"\n")
if(EXISTS "${OUT}")
  file(READ "${OUT}" old)
endif()
if(NOT old STREQUAL text)
  file(WRITE "${OUT}" "${text}")
endif()
