# The classic ImageBuilder script (tests/Pester/Seed-ImageBuilderScript.ps1), unchanged except for its
# snap-in line and paths, run against the sample depot in a fresh pwsh; the ISO it writes boots under
# SeaBIOS and OVMF to the sample's marker lines.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:Iso = Join-Path $TestDrive 'custom.iso'
    # The script imports the module by name, as users do: the staged folder's parent goes on PSModulePath.
    $moduleRoot = Split-Path (Split-Path (Split-Path (Get-TestModulePath)))
    $env:PSModulePath = $moduleRoot + [IO.Path]::PathSeparator + $env:PSModulePath
    $script:Output = & (Get-PwshPath) -NoProfile -NonInteractive -File (Join-Path $PSScriptRoot 'Seed-ImageBuilderScript.ps1') `
        -BaseDepot (Get-SampleDepotPath) -DriverVibs (Get-SampleDriverPath) -IsoPath $script:Iso 2>&1
    $script:ExitCode = $LASTEXITCODE
}

Describe 'The classic ImageBuilder script' {
    It 'runs with only the snap-in line and paths changed, and writes the ISO' {
        $script:ExitCode | Should -Be 0 -Because ($script:Output | Out-String)
        ($script:Output | Out-String) | Should -Match '\[OK, added\] net-community'
        (Get-Item $script:Iso).Length | Should -BeGreaterThan 32768
    }

    It 'the ISO boots under <_>' -ForEach @('Bios', 'Uefi') {
        $firmware = $_
        $available = [bool](Get-Command qemu-system-x86_64 -ErrorAction SilentlyContinue) -and
                     ($firmware -eq 'Bios' -or (Test-Path /usr/share/OVMF/OVMF_CODE_4M.fd))
        if (Skip-OrFailWithout $available "qemu-system-x86_64 (and OVMF for UEFI)") { return }
        $marker = if ($firmware -eq 'Bios') { 'ESXiImageTools sample BIOS' } else { 'ESXiImageTools sample EFI' }
        $log = Invoke-QemuBoot -IsoPath $script:Iso -Firmware $firmware -Marker $marker -TimeoutSec 240
        $log | Should -Match ([regex]::Escape($marker))
    }
}
