# Shared helpers for the ESXiImageTools Pester tests.
# The module under test: $env:ESXIIMAGETOOLS_MODULE (build.ps1 sets it to the staged psd1), else the
# staged folder under out/.

$script:RepoRoot = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path

function Get-TestModulePath {
    if ($env:ESXIIMAGETOOLS_MODULE) { return $env:ESXIIMAGETOOLS_MODULE }
    $manifest = Import-PowerShellDataFile (Join-Path $script:RepoRoot 'ESXiImageTools.psd1')
    return (Join-Path $script:RepoRoot ("out/ESXiImageTools/{0}/ESXiImageTools.psd1" -f $manifest.ModuleVersion))
}

# The embedded sample depot (issue 5: samples/ holds a small synthetic base depot zip with two
# profiles ending in -standard and -no-tools, and one community driver VIB).
function Get-SampleDepotPath {
    if ($env:ESXIIMAGETOOLS_SAMPLE_DEPOT) { return $env:ESXIIMAGETOOLS_SAMPLE_DEPOT }
    $zip = Get-ChildItem -Path (Join-Path $script:RepoRoot 'samples') -Recurse -Filter '*.zip' -ErrorAction SilentlyContinue |
        Where-Object { $_.FullName -notmatch '[\\/](bin|obj|out)[\\/]' } | Select-Object -First 1
    if ($zip) { return $zip.FullName }
    return $null
}

function Get-SampleDriverPath {
    if ($env:ESXIIMAGETOOLS_SAMPLE_DRIVER) { return $env:ESXIIMAGETOOLS_SAMPLE_DRIVER }
    $vib = Get-ChildItem -Path (Join-Path $script:RepoRoot 'samples') -Recurse -Filter '*.vib' -ErrorAction SilentlyContinue |
        Where-Object { $_.FullName -notmatch '[\\/](bin|obj|out)[\\/]' } | Select-Object -First 1
    if ($vib) { return $vib.FullName }
    return $null
}

Export-ModuleMember -Function Get-TestModulePath, Get-SampleDepotPath, Get-SampleDriverPath
