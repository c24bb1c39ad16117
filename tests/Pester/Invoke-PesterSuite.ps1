<#
.SYNOPSIS
    Runs every test in tests/Pester once against a staged module and writes one JSON record per test.

.DESCRIPTION
    Used by build.ps1 and by tests/ESXiImageTools.Pester.Tests (which reports each record as an xunit
    result). Each record: Name (Describe/Context/It path), Result (Passed, Failed, Skipped, NotRun),
    Message (the failure or the skip reason), DurationMs. Exit code: the number of failed tests.
#>
[CmdletBinding()]
param(
    # The staged ESXiImageTools.psd1 the tests import.
    [Parameter(Mandatory)] [string] $ModulePath,
    # A folder holding Pester.psd1 (the NuGet package's tools/ folder).
    [Parameter(Mandatory)] [string] $PesterPath,
    # Where the JSON records go; none when empty.
    [string] $ResultFile,
    # Other SharpZipLib for the isolation test (ICSharpCode.SharpZipLib.dll of another version).
    [string] $OtherSharpZipLib,
    [ValidateSet('None', 'Normal', 'Detailed', 'Diagnostic')]
    [string] $Verbosity = 'Normal'
)

$ErrorActionPreference = 'Stop'
$env:ESXIIMAGETOOLS_MODULE = (Resolve-Path $ModulePath).Path
if ($OtherSharpZipLib) { $env:ESXIIMAGETOOLS_OTHER_SHARPZIPLIB = (Resolve-Path $OtherSharpZipLib).Path }
Import-Module (Join-Path $PesterPath 'Pester.psd1') -Force

$config = New-PesterConfiguration
$config.Run.Path = $PSScriptRoot
$config.Run.PassThru = $true
$config.Output.Verbosity = $Verbosity
$run = Invoke-Pester -Configuration $config

$records = foreach ($test in $run.Tests) {
    $message = ''
    if ($test.ErrorRecord -and $test.ErrorRecord.Count -gt 0) {
        $message = ($test.ErrorRecord | ForEach-Object { $_.DisplayErrorMessage; $_.DisplayStackTrace }) -join [Environment]::NewLine
    }
    elseif ($test.Skipped -and $test.Data) { $message = 'skipped' }
    [pscustomobject]@{
        Name       = ($test.ExpandedPath)
        Result     = [string]$test.Result
        Message    = [string]$message
        DurationMs = [int]$test.Duration.TotalMilliseconds
    }
}
# A container that failed outside any test (a BeforeAll, a syntax error) is a failure too.
foreach ($container in $run.Containers | Where-Object { $_.Result -eq 'Failed' -and $_.ErrorRecord.Count -gt 0 }) {
    $records = @($records) + [pscustomobject]@{
        Name       = ('{0} (container)' -f (Split-Path -Leaf $container.Item))
        Result     = 'Failed'
        Message    = ($container.ErrorRecord | ForEach-Object { $_.DisplayErrorMessage; $_.DisplayStackTrace }) -join [Environment]::NewLine
        DurationMs = 0
    }
}
if ($ResultFile) {
    ConvertTo-Json -InputObject @($records) -Depth 3 | Set-Content -LiteralPath $ResultFile -Encoding utf8
}
exit @($records | Where-Object Result -eq 'Failed').Count
