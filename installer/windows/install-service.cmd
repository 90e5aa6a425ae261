@echo off
rem Registers mythos-chatd as the Windows service "MythosChat" (display name "Mythos Chat
rem server"), starting automatically as LOCAL SERVICE with the configuration under ProgramData,
rem and starts it. The installer runs this when the "Windows service" component is selected;
rem run it yourself from an elevated prompt to add the service later. Undo: uninstall-service.cmd
setlocal
set "SERVICE=MythosChat"
set "CONFIG=%ProgramData%\Mythos Chat\server_config.yaml"
set "EXE=%~dp0mythos-chatd.exe"

rem Creates the configuration if it is missing (never overwrites it).
powershell.exe -NoProfile -ExecutionPolicy Bypass -File "%~dp0..\share\mythos-chat\windows\setup-config.ps1"
"%EXE%" --config "%CONFIG%" --check-config
if errorlevel 1 (
  echo The configuration is not valid: fix "%CONFIG%" and run this again.
  exit /b 1
)

rem A service left by an earlier installation is replaced, so its path and options are current.
call "%~dp0uninstall-service.cmd"

sc.exe create %SERVICE% binPath= "\"%EXE%\" --service --config \"%CONFIG%\"" start= delayed-auto obj= "NT AUTHORITY\LocalService" password= "" DisplayName= "Mythos Chat server"
if errorlevel 1 exit /b 1
sc.exe description %SERVICE% "Mythos Chat: chat server for text games (WebSocket, HTTP API, NATS relay)."
rem Restart after a crash or an exit with an error (failureflag 1), at most every 5 s.
sc.exe failure %SERVICE% reset= 86400 actions= restart/5000/restart/5000/restart/30000
sc.exe failureflag %SERVICE% 1
sc.exe start %SERVICE%
exit /b 0
