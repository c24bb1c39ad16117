# The module path of the signature check on a real VMware-signed VIB changed after signing (if-re 1.101.01 from
# the corpus): the descriptor is edited by this code and the ar archive repacked in the order descriptor.xml,
# sig.pkcs7, payload, as an attacker with `ar rc` would. The CLI path and the rest of the tampering table are in
# tests/ESXiImageTools.Cli.Tests/SignatureCommandTests.cs and tests/ESXiImageTools.Core.Tests/Export/SignatureCheckTests.cs.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Reset-EsxSession
    Add-Type -AssemblyName System.IO.Compression, System.IO.Compression.FileSystem

    # ar members of a .vib: name and bytes, in order.
    function Read-ArMembers([byte[]] $bytes) {
        $members = [Collections.Generic.List[object]]::new()
        $at = 8
        while ($at + 60 -le $bytes.Length) {
            $name = [Text.Encoding]::ASCII.GetString($bytes, $at, 16).Trim().TrimEnd('/')
            $size = [long]::Parse([Text.Encoding]::ASCII.GetString($bytes, $at + 48, 10).Trim())
            $data = [byte[]]::new($size)
            [Array]::Copy($bytes, $at + 60, $data, 0, $size)
            $members.Add([pscustomobject]@{ Name = $name; Data = $data })
            $at += 60 + $size + ($size % 2)
        }
        $members
    }

    function Write-ArMembers([object[]] $members, [string] $path) {
        $out = [IO.MemoryStream]::new()
        $magic = [Text.Encoding]::ASCII.GetBytes("!<arch>`n")
        $out.Write($magic, 0, $magic.Length)
        foreach ($m in $members) {
            $header = '{0,-16}{1,-12}{2,-6}{3,-6}{4,-8}{5,-10}' -f $m.Name, '0', '0', '0', '100644', $m.Data.Length
            $h = [Text.Encoding]::ASCII.GetBytes($header + '`' + "`n")
            $out.Write($h, 0, $h.Length)
            $out.Write($m.Data, 0, $m.Data.Length)
            if ($m.Data.Length % 2) { $out.WriteByte(10) }
        }
        [IO.File]::WriteAllBytes($path, $out.ToArray())
    }

    $script:IfReZip = Get-CorpusPath 'scripts/itiligent-8-updates/VMware-Re-Driver_1.101.01-5vmw.800.1.0.20613240.zip'
    $script:HasCorpus = Test-Path $script:IfReZip
    if ($script:HasCorpus) {
        $zip = [IO.Compression.ZipFile]::OpenRead($script:IfReZip)
        try {
            $entry = $zip.GetEntry('vib20/if-re/vmw_bootbank_if-re_1.101.01-5vmw.800.1.0.20613240.vib')
            $ms = [IO.MemoryStream]::new()
            $s = $entry.Open(); $s.CopyTo($ms); $s.Dispose()
            $script:Genuine = Join-Path $TestDrive 'genuine.vib'
            [IO.File]::WriteAllBytes($script:Genuine, $ms.ToArray())
        }
        finally { $zip.Dispose() }
        $members = @(Read-ArMembers ([IO.File]::ReadAllBytes($script:Genuine)))
        $descriptor = [Text.Encoding]::UTF8.GetString($members[0].Data)
        $edited = $descriptor.Replace('<acceptance-level>certified</acceptance-level>', '<acceptance-level>partner</acceptance-level>')
        if ($edited -eq $descriptor) { throw 'the real descriptor did not change' }
        $members[0] = [pscustomobject]@{ Name = 'descriptor.xml'; Data = [Text.Encoding]::UTF8.GetBytes($edited) }
        $script:Edited = Join-Path $TestDrive 'edited.vib'
        Write-ArMembers $members $script:Edited
    }
}

AfterAll {
    Remove-Module ESXiImageTools -ErrorAction SilentlyContinue
}

Describe 'Signatures through the module' {
    It 'Get-EsxPackage reports the genuine if-re as verifying to VMware''s certified anchor and the edited one as not verifying' {
        if (Skip-OrFailWithout $script:HasCorpus 'the corpus (../shared/corpus)') { return }
        $genuine = Get-EsxPackage -Path $script:Genuine
        $genuine.Signature.State | Should -Be 'Verifies'
        $genuine.Signature.Anchor | Should -Be 'VMware Certified VIB Signing'
        $genuine.Signature.AnchorMaxLevel | Should -Be 'VMwareCertified'
        $edited = Get-EsxPackage -Path $script:Edited
        $edited.AcceptanceLevel | Should -Be 'PartnerSupported'
        $edited.Signature.State | Should -Be 'DoesNotVerify'
        $edited.Signature.Trust | Should -Be 'untrusted'
    }

    It 'Export refuses the edited VIB naming it and -NoSignatureCheck; with the switch one warning; Test-EsxImage reports it' {
        if (Skip-OrFailWithout $script:HasCorpus 'the corpus (../shared/corpus)') { return }
        $vib = Get-EsxPackage -Path $script:Edited
        $p = New-EsxProfile -NewProfile -Name tampered -Vendor Test -Package $vib -AcceptanceLevel CommunitySupported -Force -WarningAction SilentlyContinue
        $bundle = Join-Path $TestDrive 'tampered.zip'
        Export-EsxProfileToBundle $p $bundle -AllowInvalidProfile -ErrorVariable err -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeLike 'VibSignatureInvalid*'
        "$($err[0])" | Should -Match 'vmw_bootbank_if-re_1\.101\.01-5vmw\.800\.1\.0\.20613240'
        "$($err[0])" | Should -Match 'does not verify over its descriptor'
        "$($err[0])" | Should -Match '\(-NoSignatureCheck\)$'
        Test-Path $bundle | Should -BeFalse

        Export-EsxProfileToBundle $p $bundle -AllowInvalidProfile -NoSignatureCheck -WarningVariable w -WarningAction SilentlyContinue
        @($w | Where-Object { "$_" -match '^signature check skipped' }).Count | Should -Be 1
        $check = Test-EsxImage $bundle
        $check.IsValid | Should -BeFalse
        $found = @($check.Problems | Where-Object { "$($_.Check)" -eq 'Signatures' })
        $found.Count | Should -Be 1
        $found[0].Message | Should -Match 'does not verify'
        Remove-EsxProfile tampered
    }

    It 'a listing reads no .vib: names and the default table of a depot whose bundle was damaged after Add-EsxDepot come without a warning; Signature then says so' {
        $zip = Join-Path $TestDrive 'damaged-later.zip'
        Copy-Item (Get-SampleDepotPath) $zip
        $d = Add-EsxDepot $zip
        try {
            # Same length, other bytes: the depot's metadata is already read, every .vib in the zip is now unreadable.
            [IO.File]::WriteAllBytes($zip, [byte[]]::new((Get-Item $zip).Length))
            $listed = @(& { Get-EsxPackage -Depot $d } 3>&1)
            @($listed | Where-Object { $_ -is [Management.Automation.WarningRecord] }) | Should -BeNullOrEmpty
            $pkgs = @($listed | Where-Object { $_ -isnot [Management.Automation.WarningRecord] })
            $pkgs.Count | Should -BeGreaterThan 2
            $names = @(& { $pkgs | Select-Object Name } 3>&1)
            @($names | Where-Object { $_ -is [Management.Automation.WarningRecord] }) | Should -BeNullOrEmpty
            $names.Name | Should -Contain 'esx-base'
            $table = & { $pkgs | Format-Table | Out-String } 3>&1
            @($table | Where-Object { $_ -is [Management.Automation.WarningRecord] }) | Should -BeNullOrEmpty
            "$table" | Should -Match 'esx-base'
            foreach ($p in $pkgs) { [ESXiImageTools.Infrastructure.PackageSignature]::Of($p).IsRead | Should -BeFalse -Because "$($p.Name) was only listed" }

            $first = @(& { $pkgs[0].Signature } 3>&1)
            @($first | Where-Object { $_ -is [Management.Automation.WarningRecord] }) | Should -BeNullOrEmpty -Because 'the facts carry the problem'
            $first.Count | Should -Be 1
            $first[0].State | Should -Be 'Unreadable'
            $first[0].Problem | Should -Match ([regex]::Escape($pkgs[0].Guid) + ' cannot be read')
            $first[0].Problem | Should -Match 'damaged-later\.zip'
            [object]::ReferenceEquals($first[0], $pkgs[0].Signature) | Should -BeTrue -Because 'read once, then remembered'
            [ESXiImageTools.Infrastructure.PackageSignature]::Of($pkgs[1]).IsRead | Should -BeFalse -Because 'only the first package was asked for its signature'
        }
        finally { Remove-EsxDepot $d }
    }

    It 'reads Signature with the trust store of the listing, once, after the listing ended' {
        $saved = $env:ESXIIMAGETOOLS_TRUSTED_CERTS
        $env:ESXIIMAGETOOLS_TRUSTED_CERTS = $null
        $d = Add-EsxDepot (Get-SampleDepotPath)
        try {
            $p = Get-EsxPackage -Depot $d -Name esx-base -TrustedCertificate (Get-SampleCertificatePath)
            [ESXiImageTools.Infrastructure.PackageSignature]::Of($p).IsRead | Should -BeFalse
            $p.Signature.State | Should -Be 'Verifies'
            $p.Signature.Anchor | Should -Be 'ESXiImageTools Sample VIB Signing (TEST)'
            [ESXiImageTools.Infrastructure.PackageSignature]::Of($p).IsRead | Should -BeTrue
            [object]::ReferenceEquals($p.Signature, $p.Signature) | Should -BeTrue -Because 'the facts are read once and remembered'
            $untrusted = Get-EsxPackage -Depot $d -Name esx-base
            $untrusted.Signature.State | Should -Be 'Verifies'
            $untrusted.Signature.Trust | Should -Be 'untrusted'
        }
        finally {
            $env:ESXIIMAGETOOLS_TRUSTED_CERTS = $saved
            Remove-EsxDepot $d
        }
    }

    It 'Signature reads in Constrained Language mode too (a code property, no script calling .NET)' {
        $rs = [runspacefactory]::CreateRunspace()
        $rs.Open()
        try {
            $ps = [powershell]::Create()
            $ps.Runspace = $rs
            [void]$ps.AddScript('param($m, $d, $c) Import-Module $m; $ExecutionContext.SessionState.LanguageMode = "ConstrainedLanguage"; $ExecutionContext.SessionState.LanguageMode; $p = Get-EsxPackage -Path $d -Name esx-base -TrustedCertificate $c; $p.Signature.State; $p.Signature.Anchor').
                AddArgument($env:ESXIIMAGETOOLS_MODULE).AddArgument((Get-SampleDepotPath)).AddArgument((Get-SampleCertificatePath))
            $out = @($ps.Invoke())
            @($ps.Streams.Error) | Should -BeNullOrEmpty
            "$($out[0])" | Should -Be 'ConstrainedLanguage'
            "$($out[1])" | Should -Be 'Verifies'
            "$($out[2])" | Should -Be 'ESXiImageTools Sample VIB Signing (TEST)'
        }
        finally { $rs.Dispose() }
    }

    It 'a -TrustedCertificate that is no certificate is a typed error' {
        $junk = Join-Path $TestDrive 'junk.pem'
        Set-Content $junk 'junk'
        Test-EsxImage (Get-SampleDepotPath) -TrustedCertificate $junk -ErrorVariable err -ErrorAction SilentlyContinue | Out-Null
        $err[0].FullyQualifiedErrorId | Should -BeLike 'CertificateInvalid*'
    }
}
