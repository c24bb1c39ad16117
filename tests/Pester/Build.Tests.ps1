# build.ps1 under the PowerShell running the tests (in CI: pwsh 7.6.9 as a .NET tool): it stages the
# module and its Pester stage starts, in a child PowerShell found through $PSHOME. A stand-in Pester
# (tests/Pester/StubPester) records the call instead of running the suite again.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
}

Describe 'build.ps1' {
    It 'stages the module and runs its Pester stage in a child PowerShell from $PSHOME' {
        $out = Join-Path $TestDrive 'stage'
        $marker = Join-Path $TestDrive 'pester-called.txt'
        $env:ESXIIMAGETOOLS_STUB_MARKER = $marker
        try {
            $log = & (Get-PwshPath) -NoProfile -NonInteractive -File (Join-Path (Get-RepoRoot) 'build.ps1') -NoBuild -OutputPath $out `
                -PesterPath (Join-Path $PSScriptRoot 'StubPester') 2>&1
        }
        finally { Remove-Item Env:ESXIIMAGETOOLS_STUB_MARKER }
        $LASTEXITCODE | Should -Be 0 -Because ($log | Out-String)
        $staged = Get-ChildItem $out -Recurse -Filter ESXiImageTools.psd1 | Select-Object -First 1
        $staged | Should -Not -BeNullOrEmpty
        Test-Path (Join-Path $staged.DirectoryName 'ESXiImageTools.Loader.dll') | Should -BeTrue
        Test-Path (Join-Path $staged.DirectoryName 'Dependencies/ESXiImageTools.Core.dll') | Should -BeTrue
        $called = Get-Content $marker
        $called[0] | Should -Be $PSScriptRoot
        $called[1] | Should -Be $staged.FullName
        $called[2] | Should -Be $PSHOME
    }
}
