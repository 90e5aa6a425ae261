  # Stop (clean shutdown) and remove the Windows service before its program goes away. The
  # configuration and data under ProgramData stay.
  IfFileExists "$INSTDIR\bin\uninstall-service.cmd" 0 +3
    nsExec::ExecToLog '"$INSTDIR\bin\uninstall-service.cmd"'
    Pop $0
