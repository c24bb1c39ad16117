# Every example of every cmdlet's help (Get-Help, from the staged MAML) runs on the embedded sample,
# as written, without an error. Each runs in a fresh session in a folder holding the sample, after the
# prelude the help examples assume (about_ESXiImageTools, "EXAMPLES"):
#   $env:ESXIIMAGETOOLS_TRUSTED_CERTS = (Resolve-Path ./sample-signing.pem).Path
#   $depot = Add-EsxDepot ./ESXi-8.0.0-sample-depot.zip
#   $p = New-EsxProfile -CloneProfile '*-standard' -Name ESXi-8.0.0-custom -Vendor Contoso
BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-TestModulePath) -Force
    $script:Examples = foreach ($name in Get-ModuleCmdletNames) {
        foreach ($example in @((Get-Help $name).examples.example)) {
            @{ Cmdlet = $name; Title = $example.title.Trim(' -'); Code = $example.code }
        }
    }
    $script:Counts = foreach ($name in Get-ModuleCmdletNames) {
        @{ Cmdlet = $name; Count = @($script:Examples | Where-Object { $_.Cmdlet -eq $name }).Count }
    }
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
}

AfterAll {
    Remove-Module ESXiImageTools -ErrorAction SilentlyContinue
}

Describe 'Help examples' {
    It '<Cmdlet> has examples to run' -ForEach $script:Counts {
        $Count | Should -BeGreaterThan 0
    }

    It '<Cmdlet>: <Title>' -ForEach $script:Examples {
        Reset-EsxSession
        $folder = Join-Path $TestDrive ([guid]::NewGuid().ToString('N'))
        New-Item -ItemType Directory -Path (Join-Path $folder 'drivers') | Out-Null
        Copy-Item (Get-SampleDepotPath) $folder
        Copy-Item (Get-SampleDriverPath) (Join-Path $folder 'drivers')
        Copy-Item (Get-SampleCertificatePath) $folder
        $trusted = $env:ESXIIMAGETOOLS_TRUSTED_CERTS
        Push-Location $folder
        try {
            # Runs as written; any error stops it and fails the test. The output goes through the default views.
            $null = & {
                $ErrorActionPreference = 'Stop'
                $WarningPreference = 'SilentlyContinue'
                $ProgressPreference = 'SilentlyContinue'
                $env:ESXIIMAGETOOLS_TRUSTED_CERTS = (Resolve-Path ./sample-signing.pem).Path
                $depot = Add-EsxDepot ./ESXi-8.0.0-sample-depot.zip
                $p = New-EsxProfile -CloneProfile '*-standard' -Name ESXi-8.0.0-custom -Vendor Contoso
                . ([scriptblock]::Create($Code))
            } | Out-String -Width 120
        }
        finally { Pop-Location; $env:ESXIIMAGETOOLS_TRUSTED_CERTS = $trusted }
    }
}
