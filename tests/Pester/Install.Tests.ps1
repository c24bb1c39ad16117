# Installed the way users install: `build.ps1 -Package` writes the module's PowerShell Gallery package and the CLI's
# .NET tool package; a fresh pwsh with an empty module path installs the module from a local repository with
# PSResourceGet, imports it by name and runs README's PowerShell workflow; `dotnet tool install` installs esximage.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:Root = Get-RepoRoot
    $script:Out = Join-Path $TestDrive 'out'
    $log = & (Get-PwshPath) -NoProfile -NonInteractive -File (Join-Path $script:Root 'build.ps1') -NoBuild -SkipTests -Package `
        -OutputPath $script:Out 2>&1
    $script:BuildExit = $LASTEXITCODE
    $script:BuildLog = $log | Out-String
    $script:Packages = Join-Path $script:Out 'packages'
    $script:Version = (Import-PowerShellDataFile (Join-Path $script:Root 'ESXiImageTools.psd1')).ModuleVersion
}

Describe 'Packages' {
    It 'build.ps1 -Package writes the module and tool packages' {
        $script:BuildExit | Should -Be 0 -Because $script:BuildLog
        Join-Path $script:Packages "ESXiImageTools.$($script:Version).nupkg" | Should -Exist
        Join-Path $script:Packages "esximage.$($script:Version).nupkg" | Should -Exist
    }

    It 'installs with Install-PSResource into an empty module path, imports by name and runs the README workflow' {
        $userHome = Join-Path $TestDrive 'home'
        New-Item -ItemType Directory -Path $userHome -Force | Out-Null
        $readme = Get-Content -Raw (Join-Path $script:Root 'README.md')
        $block = [regex]::Match($readme.Substring($readme.IndexOf('## PowerShell')), '(?s)```powershell\r?\n(.*?)```').Groups[1].Value
        $iso = Join-Path $TestDrive 'custom.iso'
        # README's block as a user runs it after installing: by name instead of the staged path, the ISO elsewhere.
        $workflow = ($block -split "`n" | Where-Object { $_ -notmatch '^Import-Module ' }) -join "`n"
        $workflow = $workflow.Replace('./out/custom.iso', $iso)
        $script = @"
`$ErrorActionPreference = 'Stop'
if (Get-Module -ListAvailable ESXiImageTools) { throw 'the module path is not empty: ' + (Get-Module -ListAvailable ESXiImageTools).ModuleBase }
Register-PSResourceRepository -Name EsxLocal -Uri '$($script:Packages)' -Trusted
Install-PSResource ESXiImageTools -Repository EsxLocal -Scope CurrentUser
`$m = Import-Module ESXiImageTools -PassThru
'BASE=' + `$m.ModuleBase
'MANIFEST=' + (Test-ModuleManifest (Join-Path `$m.ModuleBase 'ESXiImageTools.psd1')).Version
$workflow
"@
        $file = Join-Path $TestDrive 'install.ps1'
        Set-Content -Path $file -Value $script
        $saved = @{ HOME = $env:HOME; PSModulePath = $env:PSModulePath }
        try {
            # A fresh user: its own home (CurrentUser modules and PSResourceGet's repository list live there) and no
            # inherited module path, so only PowerShell's own modules and what Install-PSResource puts there exist.
            $env:HOME = $userHome
            $env:PSModulePath = $null
            Push-Location $script:Root
            try { $out = & (Get-PwshPath) -NoProfile -NonInteractive -File $file 2>&1 }
            finally { Pop-Location }
            $exit = $LASTEXITCODE
        }
        finally {
            $env:HOME = $saved.HOME
            $env:PSModulePath = $saved.PSModulePath
        }
        $text = $out | Out-String
        $exit | Should -Be 0 -Because $text
        $text | Should -Match ('BASE=' + [regex]::Escape($userHome))
        $text | Should -Match ('MANIFEST=' + [regex]::Escape($script:Version))
        $text | Should -Match 'net-community'
        (Get-Item $iso).Length | Should -BeGreaterThan 32768
    }

    It 'installs esximage with dotnet tool install and runs it' {
        $tools = Join-Path $TestDrive 'tools'
        $log = & dotnet tool install --tool-path $tools esximage --add-source $script:Packages --version $script:Version 2>&1
        $LASTEXITCODE | Should -Be 0 -Because ($log | Out-String)
        $exe = Join-Path $tools 'esximage'
        if ($IsWindows) { $exe += '.exe' }
        $version = & $exe --version 2>&1
        $LASTEXITCODE | Should -Be 0 -Because ($version | Out-String)
        ($version | Out-String) | Should -Match ('esximage ' + [regex]::Escape($script:Version))
        $info = & $exe inspect (Get-SampleDriverPath) 2>&1
        $LASTEXITCODE | Should -Be 0 -Because ($info | Out-String)
        ($info | Out-String) | Should -Match 'net-community'
    }
}
