  # The server's configuration under ProgramData: created on first install with a fresh JWT
  # secret, never overwritten (upgrades and repairs keep the administrator's file).
  ReadEnvStr $1 ProgramData
  DetailPrint "Server configuration: $1\Mythos Chat\server_config.yaml"
  nsExec::ExecToLog 'powershell.exe -NoProfile -ExecutionPolicy Bypass -File "$INSTDIR\share\mythos-chat\windows\setup-config.ps1"'
  Pop $0
  StrCmp $0 "0" +2 0
    DetailPrint "setup-config.ps1 failed ($0): create the configuration by hand (docs\windows.md)"

  # Optional component "Windows service": register and start the server as a service.
  SectionGetFlags ${service} $0
  IntOp $0 $0 & ${SF_SELECTED}
  IntCmp $0 ${SF_SELECTED} 0 mythos_no_service mythos_no_service
    DetailPrint "Installing the Windows service MythosChat"
    nsExec::ExecToLog '"$INSTDIR\bin\install-service.cmd"'
    Pop $0
    StrCmp $0 "0" +2 0
      MessageBox MB_OK|MB_ICONEXCLAMATION "The Mythos Chat service could not be installed (exit code $0). See docs\windows.md."
  mythos_no_service:
