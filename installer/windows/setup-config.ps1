# Creates %ProgramData%\Mythos Chat\server_config.yaml from the template next to this script,
# with a fresh random JWT secret and the data folder's real path, unless it already exists
# (upgrades and repairs keep the administrator's file). Also creates the data folder and
# limits who may read the secret. Run by the installer; safe to run again.
param(
    [string]$Template = (Join-Path $PSScriptRoot 'server_config.yaml')
)
$ErrorActionPreference = 'Stop'

$root = Join-Path $env:ProgramData 'Mythos Chat'
$config = Join-Path $root 'server_config.yaml'
$data = Join-Path $root 'data'
New-Item -ItemType Directory -Force -Path $data | Out-Null

# Administrators and SYSTEM: full control; LOCAL SERVICE (the service's account): read the
# configuration, modify the data folder. Everyone else: nothing (the file holds the secret).
# SIDs rather than names, which are translated on non-English Windows.
& icacls.exe $root /inheritance:r /grant:r '*S-1-5-32-544:(OI)(CI)F' '*S-1-5-18:(OI)(CI)F' '*S-1-5-19:(OI)(CI)RX' | Out-Null
& icacls.exe $data /grant:r '*S-1-5-19:(OI)(CI)M' | Out-Null

if (Test-Path -LiteralPath $config) {
    Write-Output "Keeping the existing $config"
    exit 0
}

$bytes = New-Object byte[] 32
[Security.Cryptography.RandomNumberGenerator]::Create().GetBytes($bytes)
$secret = -join ($bytes | ForEach-Object { $_.ToString('x2') })

$text = [IO.File]::ReadAllText($Template)
$text = $text.Replace('@DATA_DIR@', ($data -replace '\\', '/'))
$text = $text.Replace('jwt_secret: ""', ('jwt_secret: "' + $secret + '"'))
# UTF-8 without a byte order mark, which is what the YAML reader expects.
[IO.File]::WriteAllText($config, $text, (New-Object Text.UTF8Encoding $false))
Write-Output "Created $config"
