# Shared helpers for the ESXiImageTools Pester tests.
# The module under test: $env:ESXIIMAGETOOLS_MODULE (Invoke-PesterSuite.ps1 sets it to the staged psd1),
# else the staged folder under out/.

$script:RepoRoot = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path

# The sample's VMware-named VIBs are signed with the sample's test key; the suite names its certificate through the
# trust-store variable, as a user would, so the sample exports without -NoSignatureCheck (one test clears it).
$env:ESXIIMAGETOOLS_TRUSTED_CERTS = Join-Path $script:RepoRoot 'samples/sample-signing.pem'

function Get-RepoRoot { $script:RepoRoot }

function Get-TestModulePath {
    if ($env:ESXIIMAGETOOLS_MODULE) { return $env:ESXIIMAGETOOLS_MODULE }
    $manifest = Import-PowerShellDataFile (Join-Path $script:RepoRoot 'ESXiImageTools.psd1')
    return (Join-Path $script:RepoRoot ("out/ESXiImageTools/{0}/ESXiImageTools.psd1" -f $manifest.ModuleVersion))
}

# The cmdlets the module exports, from the staged manifest (never a hard-coded list).
function Get-ModuleCmdletNames {
    (Import-PowerShellDataFile (Get-TestModulePath)).CmdletsToExport
}

# The embedded sample (samples/README.md): the base depot and the community driver.
function Get-SampleDepotPath { Join-Path $script:RepoRoot 'samples/depot/ESXi-8.0.0-sample-depot.zip' }
function Get-SampleCertificatePath { Join-Path $script:RepoRoot 'samples/sample-signing.pem' }
function Get-SampleDriverPath { Join-Path $script:RepoRoot 'samples/drivers/ESXiImageTools_bootbank_net-community_1.0.0-1sample.800.vib' }
function Get-CorpusPath([string] $relative) { Join-Path (Split-Path $script:RepoRoot) ('shared/corpus/' + $relative) }

# The PowerShell running the tests (a .NET tool's pwsh is started through $PSHOME, not the process path).
function Get-PwshPath {
    foreach ($name in 'pwsh', 'pwsh.exe', 'powershell.exe') {
        $candidate = Join-Path $PSHOME $name
        if (Test-Path -LiteralPath $candidate -PathType Leaf) { return $candidate }
    }
    throw "No PowerShell executable in $PSHOME"
}

# Tests that need something outside PowerShell (qemu, the corpus) skip without it, but never under CI:
# there a missing prerequisite is a failure.
function Skip-OrFailWithout([bool] $available, [string] $what) {
    if ($available) { return $false }
    if ($env:CI -eq 'true') { throw "$what is missing under CI (nothing may skip there)" }
    Set-ItResult -Skipped -Because "$what is not available on this machine"
    return $true
}

# A fresh session of the module: Remove-Module ends the depots and profiles of the last one.
function Reset-EsxSession {
    Remove-Module ESXiImageTools -ErrorAction SilentlyContinue
    # -Global: from inside this helper module, a plain import would land in the helper's own scope.
    Import-Module (Get-TestModulePath) -Force -Global
}

# Boots an ISO under qemu (TCG) and returns the serial log once the marker appears or the timeout passes,
# as tests/ESXiImageTools.TestSupport/Qemu.cs does.
function Invoke-QemuBoot([string] $IsoPath, [ValidateSet('Bios', 'Uefi')] [string] $Firmware, [string] $Marker, [int] $TimeoutSec = 120) {
    $work = Join-Path ([IO.Path]::GetTempPath()) ('esx-pester-qemu-' + [guid]::NewGuid().ToString('N').Substring(0, 8))
    New-Item -ItemType Directory -Path $work | Out-Null
    try {
        $serial = Join-Path $work 'serial.log'
        $qemuArgs = @('-accel', 'tcg', '-display', 'none', '-monitor', 'none', '-net', 'none', '-no-reboot', '-serial', "file:$serial")
        if ($Firmware -eq 'Bios') { $qemuArgs += @('-machine', 'pc', '-m', '256', '-boot', 'd', '-cdrom', $IsoPath) }
        else {
            $vars = Join-Path $work 'vars.fd'
            Copy-Item /usr/share/OVMF/OVMF_VARS_4M.fd $vars
            $qemuArgs += @('-machine', 'q35', '-m', '512', '-drive', 'if=pflash,format=raw,readonly=on,file=/usr/share/OVMF/OVMF_CODE_4M.fd',
                           '-drive', "if=pflash,format=raw,file=$vars", '-drive', "file=$IsoPath,media=cdrom,if=ide,format=raw")
        }
        $process = Start-Process -FilePath (Get-Command qemu-system-x86_64).Source -ArgumentList $qemuArgs -PassThru -RedirectStandardError (Join-Path $work 'stderr.txt')
        $clock = [Diagnostics.Stopwatch]::StartNew()
        $log = ''
        while ($clock.Elapsed.TotalSeconds -lt $TimeoutSec) {
            Start-Sleep -Milliseconds 250
            if (Test-Path $serial) { $log = [IO.File]::ReadAllText($serial) }
            if ($log.Contains($Marker) -or $process.HasExited) { break }
        }
        if (-not $process.HasExited) { Stop-Process -Id $process.Id -Force -ErrorAction SilentlyContinue }
        if (Test-Path $serial) { $log = [IO.File]::ReadAllText($serial) }
        return $log
    }
    finally { Remove-Item -Recurse -Force $work -ErrorAction SilentlyContinue }
}

Export-ModuleMember -Function Get-RepoRoot, Get-TestModulePath, Get-ModuleCmdletNames, Get-SampleDepotPath, Get-SampleDriverPath, Get-SampleCertificatePath,
    Get-CorpusPath, Get-PwshPath, Skip-OrFailWithout, Reset-EsxSession, Invoke-QemuBoot
