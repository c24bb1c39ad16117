# README's PowerShell section, verbatim: the first ```powershell block after "## PowerShell" runs in a
# fresh pwsh from the repository root against the staged module.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:Root = Get-RepoRoot
    $readme = Get-Content -Raw (Join-Path $script:Root 'README.md')
    $section = $readme.Substring($readme.IndexOf('## PowerShell'))
    $script:Block = [regex]::Match($section, '(?s)```powershell\r?\n(.*?)```').Groups[1].Value
}

Describe 'README PowerShell section' {
    It 'runs verbatim and writes the ISO it names' {
        $script:Block | Should -Match 'Import-Module ./out/ESXiImageTools/'
        $iso = Join-Path $script:Root 'out/custom.iso'
        Remove-Item $iso -ErrorAction SilentlyContinue   # the block exports without -Force
        $file = Join-Path $TestDrive 'readme.ps1'
        Set-Content -Path $file -Value ("`$ErrorActionPreference = 'Stop'`n" + $script:Block)
        Push-Location $script:Root
        try { $out = & (Get-PwshPath) -NoProfile -NonInteractive -File $file 2>&1 }
        finally { Pop-Location }
        $LASTEXITCODE | Should -Be 0 -Because ($out | Out-String)
        ($out | Out-String) | Should -Match 'net-community'
        (Get-Item $iso).Length | Should -BeGreaterThan 32768
    }
}
