# A stand-in for Pester used by Build.Tests.ps1: it records how build.ps1's Pester stage called it.
@{
    RootModule        = 'Pester.psm1'
    ModuleVersion     = '5.7.1'
    GUID              = 'a699dea5-2c73-4616-a270-1f7abb777e71'
    FunctionsToExport = @('New-PesterConfiguration', 'Invoke-Pester')
}
