# Runs the classic ImageBuilder script (tests/Pester/Seed-ImageBuilderScript.ps1), unchanged except for
# its snap-in line and paths, against the sample depot in a fresh PowerShell process.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:ModuleFolder = Split-Path (Split-Path (Get-TestModulePath))   # out/ESXiImageTools (versioned layout)
    $script:SampleDepot = Get-SampleDepotPath
    $script:SampleDriver = Get-SampleDriverPath
}

Describe 'The classic ImageBuilder script' -Skip:(-not (Get-SampleDepotPath)) {
    It 'runs with only the snap-in line and paths changed, and writes a bootable-layout ISO' {
        $iso = Join-Path $TestDrive 'custom.iso'
        $exe = (Get-Process -Id $PID).Path
        $arguments = @('-NoProfile', '-NonInteractive', '-File', (Join-Path $PSScriptRoot 'Seed-ImageBuilderScript.ps1'),
                       '-BaseDepot', $script:SampleDepot, '-IsoPath', $iso)
        if ($script:SampleDriver) { $arguments += @('-DriverVibs', $script:SampleDriver) }
        # The script imports the module by name, as users do: put the staged folder on PSModulePath.
        $env:PSModulePath = (Split-Path $script:ModuleFolder) + [IO.Path]::PathSeparator + $env:PSModulePath
        $out = & $exe @arguments 2>&1
        $LASTEXITCODE | Should -Be 0 -Because ($out | Out-String)
        Test-Path $iso | Should -BeTrue
        (Get-Item $iso).Length | Should -BeGreaterThan 32768
        if ($script:SampleDriver) { ($out | Out-String) | Should -Match '\[OK, added\]' }
    }
}
