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
    # Only a linux-x64 machine compiles the Native AOT tool package (build.ps1 -Package).
    $script:LinuxX64 = $IsLinux -and [System.Runtime.InteropServices.RuntimeInformation]::OSArchitecture -eq 'X64'
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
        if ($script:LinuxX64) {
            # On linux-x64 the command is the Native AOT file from esximage.linux-x64 (through the tool store's link),
            # an ELF holding the code, not an ~80 KB apphost over esximage.dll.
            $native = (Get-Item $exe).ResolvedTarget
            $native | Should -Match 'esximage\.linux-x64'
            [System.IO.File]::ReadAllBytes($native)[0..3] | Should -Be @(0x7F, 0x45, 0x4C, 0x46)
            (Get-Item $native).Length | Should -BeGreaterThan 4MB
            Get-ChildItem -Path (Split-Path $native) -Filter 'esximage.dll' | Should -BeNullOrEmpty
        }
        $version = & $exe --version 2>&1
        $LASTEXITCODE | Should -Be 0 -Because ($version | Out-String)
        ($version | Out-String) | Should -Match ('esximage ' + [regex]::Escape($script:Version))
        $info = & $exe inspect (Get-SampleDriverPath) 2>&1
        $LASTEXITCODE | Should -Be 0 -Because ($info | Out-String)
        ($info | Out-String) | Should -Match 'net-community'
    }

    It 'the framework-dependent fallback (esximage.any, what other OSes install) installs and runs' {
        if (-not $script:LinuxX64) {
            Set-ItResult -Skipped -Because 'only a linux-x64 machine writes the RID-specific tool packages (no cross-OS Native AOT)'
            return
        }
        # The pointer package names linux-x64 and any; a machine that is not linux-x64 gets esximage.any.
        $zip = [System.IO.Compression.ZipFile]::OpenRead((Join-Path $script:Packages "esximage.$($script:Version).nupkg"))
        try {
            $entry = $zip.Entries | Where-Object { $_.FullName -like 'tools/*/DotnetToolSettings.xml' }
            $reader = [System.IO.StreamReader]::new($entry.Open())
            try { [xml] $settings = $reader.ReadToEnd() } finally { $reader.Dispose() }
        }
        finally { $zip.Dispose() }
        @($settings.DotNetCliTool.RuntimeIdentifierPackages.RuntimeIdentifierPackage | ForEach-Object { $_.RuntimeIdentifier + '=' + $_.Id }) |
            Should -Be @('linux-x64=esximage.linux-x64', 'any=esximage.any')
        $tools = Join-Path $TestDrive 'tools-any'
        $log = & dotnet tool install --tool-path $tools esximage.any --add-source $script:Packages --version $script:Version 2>&1
        $LASTEXITCODE | Should -Be 0 -Because ($log | Out-String)
        Get-ChildItem -Path (Join-Path $tools '.store') -Recurse -Filter 'esximage.dll' | Should -Not -BeNullOrEmpty
        $info = & (Join-Path $tools 'esximage') inspect (Get-SampleDriverPath) 2>&1
        $LASTEXITCODE | Should -Be 0 -Because ($info | Out-String)
        ($info | Out-String) | Should -Match 'net-community'
    }
}
