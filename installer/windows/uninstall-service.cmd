@echo off
rem Stops the "MythosChat" service, waits for its clean shutdown (sessions closed, store
rem flushed, NATS drained; at most 30 s) and removes it. Does nothing when it is not installed.
rem The configuration and data under %ProgramData%\Mythos Chat stay.
setlocal
set "SERVICE=MythosChat"
sc.exe query %SERVICE% >nul 2>&1
if errorlevel 1 exit /b 0

sc.exe stop %SERVICE% >nul 2>&1
for /l %%i in (1,1,30) do (
  sc.exe query %SERVICE% | find "STOPPED" >nul && goto stopped
  rem One second without "timeout", which refuses to run without a console.
  ping -n 2 127.0.0.1 >nul
)
:stopped
sc.exe delete %SERVICE%
exit /b 0
