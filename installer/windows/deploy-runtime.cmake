# Install-time script (Windows): puts what the installed programs need next to them, so the
# NSIS package runs on a machine without Qt or vcpkg. Runs inside `cmake --install` and cpack,
# on the installed copies. Set by installer/CMakeLists.txt before this runs:
#   MYTHOS_WINDEPLOYQT      windeployqt.exe
#   MYTHOS_WINDEPLOYQT_MODE --release or --debug (the build's configuration)
#   MYTHOS_DEPLOY_PROGRAMS  file names of the installed programs (in <prefix>/bin)
#   MYTHOS_DEPLOY_SEARCH    folders to look for non-Qt DLLs in (vcpkg's bin, the build folder)

set(bin "${CMAKE_INSTALL_PREFIX}/bin")

# 1. Qt: the Qt DLLs and the plugins the programs load by name (sqldrivers, tls, platforms and
#    styles for the console).
foreach(program IN LISTS MYTHOS_DEPLOY_PROGRAMS)
    message(STATUS "windeployqt: ${program}")
    execute_process(
        COMMAND "${MYTHOS_WINDEPLOYQT}" ${MYTHOS_WINDEPLOYQT_MODE} --no-translations --no-compiler-runtime
                --dir "${bin}" "${bin}/${program}"
        RESULT_VARIABLE rc)
    if(NOT rc EQUAL 0)
        message(FATAL_ERROR "windeployqt failed for ${program}: ${rc}")
    endif()
endforeach()

# 2. Everything else they link: nats.c, yaml-cpp, OpenSSL, zlib... found where Windows' loader
#    would find them. Windows' own DLLs and the Qt DLLs (step 1) are left out.
set(executables)
foreach(program IN LISTS MYTHOS_DEPLOY_PROGRAMS)
    list(APPEND executables "${bin}/${program}")
endforeach()
file(GET_RUNTIME_DEPENDENCIES
    EXECUTABLES ${executables}
    RESOLVED_DEPENDENCIES_VAR resolved
    UNRESOLVED_DEPENDENCIES_VAR unresolved
    DIRECTORIES ${MYTHOS_DEPLOY_SEARCH}
    PRE_EXCLUDE_REGEXES "^api-ms-" "^ext-ms-"
    POST_EXCLUDE_REGEXES "[/\\\\][Ss]ystem32[/\\\\]" "[/\\\\]Qt6[^/\\\\]*\\.dll$")
foreach(dll IN LISTS resolved)
    file(INSTALL "${dll}" DESTINATION "${bin}")
endforeach()
if(unresolved)
    message(WARNING "Not found, so not packaged: ${unresolved}")
endif()
