  Delete "$SMPROGRAMS\$MUI_TEMP\Server configuration.lnk"
