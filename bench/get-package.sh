#!/usr/bin/env bash
# Benchmark: `Get-EsxPackage | Select-Object Name` on an offline bundle of many small signed VIBs (New-EsxVib, signed
# over descriptor.xml with samples/sample-signing.pem, New-EsxBundle), side by side with the same listing when every
# package's Signature is read (`ForEach-Object { $_.Signature }`: what every listing cost when Signature was read
# eagerly). Prints the medians and their ratio, names/signatures. BASELINE=<staged ESXiImageTools.psd1> also times
# the names listing with that module (e.g. one staged from an older commit), in its own session.
# Both for the bundle as New-EsxBundle writes it (.vib entries stored) and repacked with deflate (as VMware's are).
# Usage: bench/get-package.sh [vibs] [runs]   (default 300 VIBs, 7 runs; KEEP=1 keeps the work folder)
set -euo pipefail
VIBS=${1:-300}
RUNS=${2:-7}
REPO=$(cd "$(dirname "$0")/.." && pwd)
PWSH=$(command -v pwsh || echo "$HOME/.dotnet/tools/pwsh")
[ -x "$PWSH" ] || PWSH="dotnet pwsh"
W=$(mktemp -d /tmp/esxit-getpkg-XXXXXX)
trap '[ -n "${KEEP:-}" ] || rm -rf "$W"' EXIT
cd "$REPO"
echo "staging the module..." >&2
$PWSH -NoProfile -File ./build.ps1 -SkipTests >/dev/null
MODULE=$REPO/out/ESXiImageTools/0.1.0/ESXiImageTools.psd1

# The bundle: $VIBS community VIBs of one small file each, each signed with the sample key.
cat > "$W/make.ps1" <<'PS'
param($Module, $Work, $Count, $Pem)
$ErrorActionPreference = 'Stop'
Import-Module $Module
$src = Join-Path $Work 'src'; $vibs = Join-Path $Work 'vibs'
New-Item -ItemType Directory (Join-Path $src 'opt/bench') -Force | Out-Null
New-Item -ItemType Directory $vibs -Force | Out-Null
Set-Content (Join-Path $src 'opt/bench/readme.txt') 'bench'
$text = Get-Content -Raw $Pem
$cert = [Security.Cryptography.X509Certificates.X509Certificate2]::CreateFromPem($text, $text)
# As the engine's VibSigner (whose assembly the module loads apart): detached PKCS#7 over descriptor.xml, SHA-256, PEM.
function Get-Signature([byte[]] $descriptor) {
    $cms = [Security.Cryptography.Pkcs.SignedCms]::new([Security.Cryptography.Pkcs.ContentInfo]::new($descriptor), $true)
    $signer = [Security.Cryptography.Pkcs.CmsSigner]::new([Security.Cryptography.Pkcs.SubjectIdentifierType]::IssuerAndSerialNumber, $cert)
    $signer.DigestAlgorithm = [Security.Cryptography.Oid]::new('2.16.840.1.101.3.4.2.1')
    $signer.IncludeOption = [Security.Cryptography.X509Certificates.X509IncludeOption]::EndCertOnly
    $null = $signer.SignedAttributes.Add([Security.Cryptography.Pkcs.Pkcs9SigningTime]::new([datetime]::new(2024, 1, 1, 0, 0, 0, [DateTimeKind]::Utc)))
    $cms.ComputeSignature($signer, $true)
    $b64 = [Convert]::ToBase64String($cms.Encode(), 'InsertLineBreaks') -replace "`r", ''
    [Text.Encoding]::ASCII.GetBytes("-----BEGIN PKCS7-----`n$b64`n-----END PKCS7-----`n")
}
foreach ($i in 1..$Count) {
    $file = Join-Path $vibs ("bench-{0:d4}.vib" -f $i)
    New-EsxVib -Path $src -FilePath $file -Name ('bench-{0:d4}' -f $i) -Version '1.0.0-1' -Vendor Bench -WarningAction SilentlyContinue | Out-Null
    # Replace the empty sig.pkcs7 by a signature over descriptor.xml; ar members are rewritten in their order.
    $bytes = [IO.File]::ReadAllBytes($file)
    $out = [IO.MemoryStream]::new(); $out.Write($bytes, 0, 8)
    $members = [Collections.Generic.List[object]]::new(); $at8 = 8
    while ($at8 + 60 -le $bytes.Length) {
        $name = [Text.Encoding]::ASCII.GetString($bytes, $at8, 16).Trim().TrimEnd('/')
        $size = [long]::Parse([Text.Encoding]::ASCII.GetString($bytes, $at8 + 48, 10).Trim())
        $data = [byte[]]::new($size); [Array]::Copy($bytes, $at8 + 60, $data, 0, $size)
        $members.Add([pscustomobject]@{ Name = $name; Data = $data }); $at8 += 60 + $size + ($size % 2)
    }
    $descriptor = ($members | Where-Object Name -eq 'descriptor.xml').Data
    foreach ($m in $members) {
        if ($m.Name -eq 'sig.pkcs7') { $m.Data = Get-Signature $descriptor }
        $h = [Text.Encoding]::ASCII.GetBytes(('{0,-16}{1,-12}{2,-6}{3,-6}{4,-8}{5,-10}' -f $m.Name, '0', '0', '0', '100644', $m.Data.Length) + '`' + "`n")
        $out.Write($h, 0, $h.Length); $out.Write($m.Data, 0, $m.Data.Length)
        if ($m.Data.Length % 2) { $out.WriteByte(10) }
    }
    [IO.File]::WriteAllBytes($file, $out.ToArray())
}
New-EsxBundle -Path (Get-ChildItem $vibs -Filter *.vib).FullName -FilePath (Join-Path $Work 'bench.zip') -Force | Out-Null
$check = Get-EsxPackage -Path (Join-Path $vibs 'bench-0001.vib') -TrustedCertificate $Pem
if ("$($check.Signature.State)" -ne 'Verifies' -or -not $check.Signature.Anchor) { throw "the bench VIBs are not signed as meant: $($check.Signature)" }
PS

# Median milliseconds of $Runs runs of a listing, in one session after one warm-up run.
cat > "$W/time.ps1" <<'PS'
param($Module, $Bundle, $Runs, $Pem, [switch] $Signatures)
$ErrorActionPreference = 'Stop'
Import-Module $Module
$d = Add-EsxDepot $Bundle
$run = if ($Signatures) {
    { $n = 0; Get-EsxPackage -Depot $d -TrustedCertificate $Pem | ForEach-Object { if ($_.Signature.State -eq 'Verifies') { $n++ } }; $n }
} else {
    { @(Get-EsxPackage -Depot $d -TrustedCertificate $Pem | Select-Object Name).Count }
}
$expected = & $run
$times = foreach ($r in 1..$Runs) {
    $sw = [Diagnostics.Stopwatch]::StartNew()
    $n = & $run
    $sw.Stop()
    if ($n -ne $expected -or $n -lt 1) { throw "run $r counted $n, not $expected" }
    $sw.Elapsed.TotalMilliseconds
}
$sorted = @($times | Sort-Object)
"{0:0.0} {1}" -f $sorted[[int][math]::Floor($sorted.Count / 2)], $expected
PS

echo "building $VIBS signed VIBs and their bundle..." >&2
$PWSH -NoProfile -File "$W/make.ps1" "$MODULE" "$W" "$VIBS" "$REPO/samples/sample-signing.pem"
# New-EsxBundle stores the .vib entries; VMware's bundles deflate them (each read then re-opens the zip's directory).
python3 - "$W/bench.zip" "$W/bench-deflated.zip" <<'PY'
import sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as src, zipfile.ZipFile(sys.argv[2], "w", zipfile.ZIP_DEFLATED) as dst:
    for info in src.infolist(): dst.writestr(info.filename, src.read(info))
PY
for KIND in stored deflated; do
  BUNDLE=$W/bench.zip; [ "$KIND" = deflated ] && BUNDLE=$W/bench-deflated.zip
  read -r NAMES COUNT < <($PWSH -NoProfile -File "$W/time.ps1" "$MODULE" "$BUNDLE" "$RUNS" "$REPO/samples/sample-signing.pem")
  read -r SIGS VERIFIED < <($PWSH -NoProfile -File "$W/time.ps1" "$MODULE" "$BUNDLE" "$RUNS" "$REPO/samples/sample-signing.pem" -Signatures)
  echo "$KIND .vib entries: Get-EsxPackage | Select-Object Name, $COUNT packages: median ${NAMES} ms over $RUNS runs;" \
    "reading every Signature ($VERIFIED verify): ${SIGS} ms; ratio names/signatures $(awk "BEGIN{printf \"%.3f\", $NAMES/$SIGS}")"
  if [ -n "${BASELINE:-}" ]; then
    read -r BASE _ < <($PWSH -NoProfile -File "$W/time.ps1" "$BASELINE" "$BUNDLE" "$RUNS" "$REPO/samples/sample-signing.pem")
    echo "  baseline module: Get-EsxPackage | Select-Object Name ${BASE} ms; ratio this/baseline $(awk "BEGIN{printf \"%.3f\", $NAMES/$BASE}")"
  fi
done
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) CPUs"
