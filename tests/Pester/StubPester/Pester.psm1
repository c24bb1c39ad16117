# Records the run path and the module under test in $env:ESXIIMAGETOOLS_STUB_MARKER; reports no tests.
function New-PesterConfiguration {
    [pscustomobject]@{ Run = [pscustomobject]@{ Path = $null; PassThru = $false }; Output = [pscustomobject]@{ Verbosity = $null } }
}
function Invoke-Pester($Configuration) {
    Set-Content -LiteralPath $env:ESXIIMAGETOOLS_STUB_MARKER -Value @($Configuration.Run.Path, $env:ESXIIMAGETOOLS_MODULE, $PSHOME)
    [pscustomobject]@{ Tests = @(); Containers = @() }
}
