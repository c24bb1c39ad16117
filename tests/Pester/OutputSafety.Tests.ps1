# -Force replaces only a regular file: a symbolic link, a FIFO or a device named as the output is refused with
# ExportDestinationNotAFile and left as it was, from the export cmdlets and New-EsxVib alike.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Reset-EsxSession
    Add-EsxDepot (Get-SampleDepotPath) | Out-Null
}

AfterAll {
    Remove-Module ESXiImageTools -ErrorAction SilentlyContinue
}

Describe '-Force and what it may replace' -Skip:$IsWindows {
    It 'refuses a symbolic link, leaving the link and its target alone' {
        $target = Join-Path $TestDrive 'target.zip'
        Set-Content -LiteralPath $target -Value 'keep'
        $link = Join-Path $TestDrive 'link.zip'
        New-Item -ItemType SymbolicLink -Path $link -Target $target | Out-Null
        { Export-EsxProfileToBundle '*-standard' $link -NoSignatureCheck -Force -ErrorAction Stop } | Should -Throw -ErrorId 'ExportDestinationNotAFile*'
        (Get-Item -LiteralPath $link).LinkType | Should -Be 'SymbolicLink'
        Get-Content -LiteralPath $target | Should -Be 'keep'
    }

    It 'refuses /dev/null and a FIFO' {
        { Export-EsxProfileToIso '*-standard' '/dev/null' -NoSignatureCheck -Force -ErrorAction Stop } | Should -Throw -ErrorId 'ExportDestinationNotAFile*'
        (Get-Item '/dev/null').UnixFileMode | Should -Not -BeNullOrEmpty
        $fifo = Join-Path $TestDrive 'pipe.vib'
        & mkfifo $fifo
        $LASTEXITCODE | Should -Be 0
        $src = Join-Path $TestDrive 'src/etc'
        New-Item -ItemType Directory -Path $src -Force | Out-Null
        Set-Content -LiteralPath (Join-Path $src 'a.conf') -Value 'a'
        { New-EsxVib -Path (Join-Path $TestDrive 'src') -Name x -Version 1.0-1 -Vendor v -FilePath $fifo -Force -ErrorAction Stop } | Should -Throw -ErrorId 'ExportDestinationNotAFile*'
        (Get-Item -LiteralPath $fifo).UnixFileMode | Should -Not -BeNullOrEmpty
        Test-Path -LiteralPath $fifo | Should -BeTrue
    }
}
