<#
.SYNOPSIS
    Builds ESXiImageTools and stages a loadable module folder.

.DESCRIPTION
    1. dotnet build -c <Configuration> of the module project (which builds the engine).
    2. Stages out/ESXiImageTools/<version>/ :
         ESXiImageTools.psd1, ESXiImageTools.dll (cmdlets), ESXiImageTools.Format.ps1xml,
         ESXiImageTools.Types.ps1xml, en-US/ (MAML help, about topic), LICENSE,
         Dependencies/ (ESXiImageTools.Core.dll, ICSharpCode.SharpZipLib.dll and the netstandard
         support assemblies Windows PowerShell 5.1 needs). The engine is loaded from Dependencies/
         privately, so another module's SharpZipLib cannot clash with ours.
    3. Runs tests/Pester against the staged module in a child process of this PowerShell (found in
       $PSHOME), with Pester 5.7.1 restored from NuGet, unless -SkipTests.

    Works in Windows PowerShell 5.1 and PowerShell 7 (written without newer syntax).

.EXAMPLE
    ./build.ps1
    Import-Module ./out/ESXiImageTools/0.1.0/ESXiImageTools.psd1

.EXAMPLE
    ./build.ps1 -SkipTests -Configuration Debug
#>
[CmdletBinding()]
param(
    [ValidateSet('Release', 'Debug')]
    [string] $Configuration = 'Release',

    # Skip the Pester tests.
    [switch] $SkipTests,

    # Stage what an earlier dotnet build produced (dotnet test builds the solution first).
    [switch] $NoBuild,

    # Where the module folder is staged (<OutputPath>/ESXiImageTools/<version>); default: out/.
    [string] $OutputPath,

    # Pester to use (a folder holding Pester.psd1); default: Pester 5.7.1 from NuGet (the package's tools/ folder).
    [string] $PesterPath,

    # Also write <OutputPath>/packages/: ESXiImageTools.<version>.nupkg (the module as a PowerShell Gallery package,
    # built by PSResourceGet's Compress-PSResource, the packaging step of Publish-PSResource) and
    # esximage.<version>.nupkg (the CLI as a .NET tool, command esximage; on linux-x64 it points to
    # esximage.linux-x64.<version>.nupkg, Native AOT, and esximage.any.<version>.nupkg, framework-dependent).
    [switch] $Package
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 2.0

$root = $PSScriptRoot
$manifestPath = Join-Path $root 'ESXiImageTools.psd1'
$manifest = Import-PowerShellDataFile -Path $manifestPath
$version = $manifest.ModuleVersion
$project = Join-Path $root 'src/ESXiImageTools/ESXiImageTools.csproj'
$binDir = Join-Path $root ("src/ESXiImageTools/bin/{0}/netstandard2.0" -f $Configuration)
if (-not $OutputPath) { $OutputPath = Join-Path $root 'out' }
$stage = Join-Path $OutputPath ("ESXiImageTools/{0}" -f $version)

# pwsh (a .NET tool, an installed pwsh 7) or powershell.exe (Windows PowerShell 5.1), found in $PSHOME.
function Get-PowerShellExecutable {
    foreach ($name in @('pwsh', 'pwsh.exe', 'powershell.exe')) {
        $candidate = Join-Path $PSHOME $name
        if (Test-Path -LiteralPath $candidate -PathType Leaf) { return $candidate }
    }
    throw ("No PowerShell executable in {0}" -f $PSHOME)
}

function Write-Step([string] $text) {
    Write-Host ''
    Write-Host ('==> ' + $text) -ForegroundColor Cyan
}

# --- 1. build --------------------------------------------------------------------------------
Write-Step ("dotnet build ({0})" -f $Configuration)
if (-not (Get-Command dotnet -ErrorAction SilentlyContinue)) {
    throw 'The .NET SDK (dotnet) is not on PATH. Install it from https://dot.net and run ./build.ps1 again.'
}
if ($NoBuild) { Write-Host '    -NoBuild: staging the existing build output' }
else {
    & dotnet build $project -c $Configuration --nologo
    if ($LASTEXITCODE -ne 0) { throw ("dotnet build failed with exit code {0}" -f $LASTEXITCODE) }
}

# --- 2. stage -------------------------------------------------------------------------------
Write-Step ("staging {0}" -f $stage)
if (Test-Path $stage) { Remove-Item -Path $stage -Recurse -Force }
$deps = Join-Path $stage 'Dependencies'
$help = Join-Path $stage 'en-US'
New-Item -ItemType Directory -Path $deps -Force | Out-Null
New-Item -ItemType Directory -Path $help -Force | Out-Null

Copy-Item -Path $manifestPath -Destination $stage
Copy-Item -Path (Join-Path $root 'LICENSE') -Destination $stage
Copy-Item -Path (Join-Path $binDir 'ESXiImageTools.dll') -Destination $stage
# The loader (the manifest's nested module) sits beside the cmdlet dll: it must load before the engine can.
Copy-Item -Path (Join-Path $binDir 'ESXiImageTools.Loader.dll') -Destination $stage
Copy-Item -Path (Join-Path $root 'src/ESXiImageTools/ESXiImageTools.Format.ps1xml') -Destination $stage
Copy-Item -Path (Join-Path $root 'src/ESXiImageTools/ESXiImageTools.Types.ps1xml') -Destination $stage
Copy-Item -Path (Join-Path $root 'en-US/*') -Destination $help

# Everything else the build produced is a dependency of the engine, loaded from Dependencies/.
Get-ChildItem -Path $binDir -Filter '*.dll' |
    Where-Object { $_.Name -ne 'ESXiImageTools.dll' -and $_.Name -ne 'ESXiImageTools.Loader.dll' } |
    ForEach-Object { Copy-Item -Path $_.FullName -Destination $deps }

# The stub System.Management.Automation from PowerShellStandard.Library would shadow the real one.
$sma = Get-ChildItem -Path $stage -Recurse -Filter 'System.Management.Automation.dll'
if ($sma) { throw ("System.Management.Automation.dll must not be staged: {0}" -f ($sma.FullName -join ', ')) }

Get-ChildItem -Path $stage -Recurse -File | ForEach-Object {
    Write-Host ('    ' + $_.FullName.Substring($stage.Length + 1))
}

# --- 3. packages -----------------------------------------------------------------------------
if ($Package) {
    $packages = Join-Path $OutputPath 'packages'
    Write-Step ("packages: {0}" -f $packages)
    New-Item -ItemType Directory -Path $packages -Force | Out-Null
    Get-ChildItem -Path $packages -Filter '*.nupkg' | Where-Object { $_.Name -like 'ESXiImageTools.*' -or $_.Name -like 'esximage.*' } |
        Remove-Item -Force
    # What Publish-PSResource would upload: manifest (tags, ProjectUri, LicenseUri, release notes from PSData), format
    # and type files, help, the loader and Dependencies/.
    Compress-PSResource -Path $stage -DestinationPath $packages
    # The CLI as a .NET tool. (Package id, command name and metadata are in the csproj; PackAsTool only here, so builds
    # and publishes stay as they are.) Native AOT cannot cross-compile to another OS, so only a linux-x64 machine writes
    # the RID-specific packages: esximage (the pointer), esximage.linux-x64 (Native AOT, starts like the AOT publish) and
    # esximage.any (framework-dependent, what Windows, macOS and other architectures install). Elsewhere the one
    # esximage package is framework-dependent (runs wherever the .NET 10 runtime is).
    $cli = Join-Path $root 'src/ESXiImageTools.Cli/ESXiImageTools.Cli.csproj'
    $linuxX64 = $IsLinux -and [System.Runtime.InteropServices.RuntimeInformation]::OSArchitecture -eq 'X64'
    # Built apart from src/*/obj and bin: the RID-specific restores would otherwise rewrite the CLI's project.assets.json
    # under a test run's other builds of the same project (the win-x64 publish of the Windows CLI leg).
    $packBuild = Join-Path $OutputPath 'packages-build'
    $rids = if ($linuxX64) { '', 'any', 'linux-x64' } else { '' }
    foreach ($rid in $rids) {
        $toolArgs = @()
        if ($linuxX64) { $toolArgs += '-p:EsxImageAotTool=true' }
        if ($rid) { $toolArgs += '-r', $rid }
        & dotnet pack $cli -c $Configuration -o $packages --nologo -p:PackAsTool=true --artifacts-path $packBuild @toolArgs
        if ($LASTEXITCODE -ne 0) { throw ("dotnet pack of the CLI ({0}) failed with exit code {1}" -f ($toolArgs -join ' '), $LASTEXITCODE) }
    }
    Remove-Item -LiteralPath $packBuild -Recurse -Force
    Get-ChildItem -Path $packages -Filter '*.nupkg' | ForEach-Object { Write-Host ('    ' + $_.Name) }
}

# --- 4. Pester --------------------------------------------------------------------------------
if ($SkipTests) {
    Write-Step 'tests skipped (-SkipTests)'
}
else {
    # Pester 5.7.1 and the second SharpZipLib of the isolation test come from NuGet, restored by the
    # Pester test project, exactly as `dotnet test ESXiImageTools.sln` gets them.
    & dotnet restore (Join-Path $root 'tests/ESXiImageTools.Pester.Tests/ESXiImageTools.Pester.Tests.csproj') --nologo -v q
    if ($LASTEXITCODE -ne 0) { throw ("dotnet restore of the Pester test project failed with exit code {0}" -f $LASTEXITCODE) }
    $nuget = if ($env:NUGET_PACKAGES) { $env:NUGET_PACKAGES } else { Join-Path ([Environment]::GetFolderPath('UserProfile')) '.nuget/packages' }
    if (-not $PesterPath) { $PesterPath = Join-Path $nuget 'pester/5.7.1/tools' }
    $pesterModule = Join-Path $PesterPath 'Pester.psd1'
    if (-not (Test-Path -LiteralPath $pesterModule)) { throw ("Pester is not in {0}" -f $PesterPath) }
    $otherZip = Join-Path $nuget 'sharpziplib/1.2.0/lib/netstandard2.0/ICSharpCode.SharpZipLib.dll'
    Write-Step ("Pester: tests/Pester ({0})" -f $pesterModule)
    # The tests run in a child process of this same PowerShell, so this session never holds the module's
    # dlls open. Its executable comes from $PSHOME: the process path is dotnet when pwsh runs as a .NET tool.
    $exe = Get-PowerShellExecutable
    & $exe -NoProfile -NonInteractive -File (Join-Path $root 'tests/Pester/Invoke-PesterSuite.ps1') `
        -ModulePath (Join-Path $stage 'ESXiImageTools.psd1') -PesterPath $PesterPath -OtherSharpZipLib $otherZip -Verbosity Detailed
    if ($LASTEXITCODE -ne 0) { throw ("Pester reported {0} failing test(s)" -f $LASTEXITCODE) }
}

Write-Step 'done'
Write-Host ("Import-Module '{0}'" -f (Join-Path $stage 'ESXiImageTools.psd1'))
