  # Start menu: the server's configuration file (editing it needs "Run as administrator").
  ReadEnvStr $1 ProgramData
  CreateShortCut "$SMPROGRAMS\$STARTMENU_FOLDER\Server configuration.lnk" "$WINDIR\notepad.exe" '"$1\Mythos Chat\server_config.yaml"'
