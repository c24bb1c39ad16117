using System;
using System.Collections.Generic;
using System.Text;

namespace ESXiImageTools.Samples.BootFiles;

/// <summary>
/// A tiny x86 assembler: a byte buffer with named labels and jump fixups. It knows only the handful of
/// instructions our boot programs use. Each method emits one instruction; its comment gives the
/// Intel-syntax form and the encoding so a reviewer can check it against the Intel SDM, Vol. 2.
/// This base class holds instructions whose encoding is the same in 16-bit real mode and 64-bit mode
/// (byte-register and port-I/O forms have no operand-size dependence).
/// </summary>
internal abstract class X86Assembler
{
    private readonly List<byte> _code = new List<byte>();
    private readonly Dictionary<string, int> _labels = new Dictionary<string, int>(StringComparer.Ordinal);
    private readonly List<Fixup> _fixups = new List<Fixup>();

    private enum FixupKind { Rel8, Rel32, Abs16 }

    private readonly struct Fixup
    {
        public Fixup(int at, string label, FixupKind kind, int origin) { At = at; Label = label; Kind = kind; Origin = origin; }
        public int At { get; }
        public string Label { get; }
        public FixupKind Kind { get; }
        public int Origin { get; }
    }

    /// <summary>Offset of the next byte to be emitted.</summary>
    public int Position => _code.Count;

    /// <summary>Defines <paramref name="name"/> at the current position.</summary>
    public void Label(string name)
    {
        if (_labels.ContainsKey(name)) throw new InvalidOperationException($"label '{name}' defined twice");
        _labels[name] = Position;
    }

    /// <summary>Raw bytes (opcodes are emitted through this so every instruction stays one readable line).</summary>
    protected void Emit(params byte[] bytes) => _code.AddRange(bytes);

    protected void Emit16(ushort value) { _code.Add((byte)value); _code.Add((byte)(value >> 8)); }

    protected void Emit32(uint value) { Emit16((ushort)value); Emit16((ushort)(value >> 16)); }

    /// <summary>A signed 8-bit displacement to <paramref name="label"/>, relative to the end of this byte
    /// (correct for short jumps, where the displacement is the last byte of the instruction).</summary>
    protected void EmitRel8(string label) { _fixups.Add(new Fixup(Position, label, FixupKind.Rel8, 0)); _code.Add(0); }

    /// <summary>A 32-bit displacement relative to the end of these 4 bytes (RIP-relative operands with no
    /// immediate after them).</summary>
    protected void EmitRel32(string label) { _fixups.Add(new Fixup(Position, label, FixupKind.Rel32, 0)); Emit32(0); }

    /// <summary>The 16-bit absolute address of <paramref name="label"/> when the code is loaded at <paramref name="origin"/>.</summary>
    protected void EmitAbs16(string label, int origin) { _fixups.Add(new Fixup(Position, label, FixupKind.Abs16, origin)); Emit16(0); }

    // ---- data -------------------------------------------------------------------------------------

    /// <summary>Zero bytes up to offset <paramref name="offset"/> (which must not be behind us).</summary>
    public void ZeroFillTo(int offset)
    {
        if (offset < Position) throw new InvalidOperationException($"code already at {Position}, cannot pad to {offset}");
        while (Position < offset) _code.Add(0);
    }

    /// <summary>Zero bytes until the position is a multiple of <paramref name="alignment"/>.</summary>
    public void Align(int alignment) { while (Position % alignment != 0) _code.Add(0); }

    /// <summary>ASCII text followed by a NUL terminator.</summary>
    public void AsciiZ(string text) { _code.AddRange(Encoding.ASCII.GetBytes(text)); _code.Add(0); }

    /// <summary>UTF-16LE text followed by a 16-bit NUL terminator (UEFI CHAR16 strings).</summary>
    public void Utf16Z(string text) { _code.AddRange(Encoding.Unicode.GetBytes(text)); Emit16(0); }

    // ---- instructions with the same encoding in real mode and long mode ---------------------------

    public void Cli() => Emit(0xFA);                              // cli              FA
    public void Sti() => Emit(0xFB);                              // sti              FB
    public void Cld() => Emit(0xFC);                              // cld              FC
    public void Hlt() => Emit(0xF4);                              // hlt              F4
    public void Lodsb() => Emit(0xAC);                            // lodsb            AC        al = [si/rsi], si++ (DF=0)
    public void TestAlAl() => Emit(0x84, 0xC0);                   // test al, al      84 /r     ModRM C0 = al,al
    public void TestAl(byte imm) => Emit(0xA8, imm);              // test al, imm8    A8 ib
    public void MovAl(byte imm) => Emit(0xB0, imm);               // mov al, imm8     B0+r ib   (r=0: al)
    public void MovClAl() => Emit(0x88, 0xC1);                    // mov cl, al       88 /r     ModRM C1 = reg al -> rm cl
    public void MovAlCl() => Emit(0x88, 0xC8);                    // mov al, cl       88 /r     ModRM C8 = reg cl -> rm al
    public void InAlDx() => Emit(0xEC);                           // in al, dx        EC
    public void OutDxAl() => Emit(0xEE);                          // out dx, al       EE
    public void Jz(string label) { Emit(0x74); EmitRel8(label); }       // jz rel8   74 cb
    public void JmpShort(string label) { Emit(0xEB); EmitRel8(label); } // jmp rel8  EB cb

    /// <summary>The finished code with every label reference resolved.</summary>
    public byte[] ToArray()
    {
        var bytes = _code.ToArray();
        foreach (var f in _fixups)
        {
            if (!_labels.TryGetValue(f.Label, out var target)) throw new InvalidOperationException($"undefined label '{f.Label}'");
            switch (f.Kind)
            {
                case FixupKind.Rel8:
                    var d8 = target - (f.At + 1);
                    if (d8 < sbyte.MinValue || d8 > sbyte.MaxValue) throw new InvalidOperationException($"short jump to '{f.Label}' out of range ({d8})");
                    bytes[f.At] = (byte)(sbyte)d8;
                    break;
                case FixupKind.Rel32:
                    var d32 = target - (f.At + 4);
                    bytes[f.At] = (byte)d32; bytes[f.At + 1] = (byte)(d32 >> 8); bytes[f.At + 2] = (byte)(d32 >> 16); bytes[f.At + 3] = (byte)(d32 >> 24);
                    break;
                case FixupKind.Abs16:
                    var a = f.Origin + target;
                    if (a > ushort.MaxValue) throw new InvalidOperationException($"address of '{f.Label}' exceeds 16 bits");
                    bytes[f.At] = (byte)a; bytes[f.At + 1] = (byte)(a >> 8);
                    break;
            }
        }
        return bytes;
    }
}

/// <summary>16-bit real-mode instructions (operand size 16, no prefixes).</summary>
internal sealed class RealModeAssembler : X86Assembler
{
    /// <summary>The linear address the code is loaded at; absolute label addresses are computed from it.</summary>
    public int Origin { get; }

    public RealModeAssembler(int origin) { Origin = origin; }

    public void XorAxAx() => Emit(0x31, 0xC0);                    // xor ax, ax       31 /r     ModRM C0
    public void MovDsAx() => Emit(0x8E, 0xD8);                    // mov ds, ax       8E /r     ModRM D8 (sreg 3 = ds)
    public void MovEsAx() => Emit(0x8E, 0xC0);                    // mov es, ax       8E /r     ModRM C0 (sreg 0 = es)
    public void MovSsAx() => Emit(0x8E, 0xD0);                    // mov ss, ax       8E /r     ModRM D0 (sreg 2 = ss)
    public void MovAx(ushort imm) { Emit(0xB8); Emit16(imm); }    // mov ax, imm16    B8+r iw
    public void MovBx(ushort imm) { Emit(0xBB); Emit16(imm); }    // mov bx, imm16    BB iw
    public void MovDx(ushort imm) { Emit(0xBA); Emit16(imm); }    // mov dx, imm16    BA iw
    public void MovSp(ushort imm) { Emit(0xBC); Emit16(imm); }    // mov sp, imm16    BC iw
    public void MovAh(byte imm) => Emit(0xB4, imm);               // mov ah, imm8     B4 ib
    public void MovSiAddressOf(string label) { Emit(0xBE); EmitAbs16(label, Origin); } // mov si, imm16  BE iw
    public void OutDxAx() => Emit(0xEF);                          // out dx, ax       EF
    public void Int(byte vector) => Emit(0xCD, vector);           // int imm8         CD ib

    /// <summary>jmp far segment:offset-of(label) — EA iw(offset) iw(segment). Used to reload CS.</summary>
    public void JmpFar(ushort segment, string label) { Emit(0xEA); EmitAbs16(label, Origin - segment * 16); Emit16(segment); }
}

/// <summary>64-bit long-mode instructions (UEFI x64: flat addressing, Microsoft x64 calling convention).</summary>
internal sealed class LongModeAssembler : X86Assembler
{
    public void SubRsp(byte imm) => Emit(0x48, 0x83, 0xEC, imm);  // sub rsp, imm8    REX.W 83 /5 ib   ModRM EC = /5,rsp
    public void MovRbxRdx() => Emit(0x48, 0x89, 0xD3);            // mov rbx, rdx     REX.W 89 /r      ModRM D3 = reg rdx -> rm rbx
    public void MovEcx(uint imm) { Emit(0xB9); Emit32(imm); }     // mov ecx, imm32   B8+r id  (zero-extends into rcx)
    public void MovEdx(uint imm) { Emit(0xBA); Emit32(imm); }     // mov edx, imm32   B8+r id  (port numbers for in/out dx)
    public void XorEdxEdx() => Emit(0x31, 0xD2);                  // xor edx, edx     31 /r    ModRM D2
    public void XorR8dR8d() => Emit(0x45, 0x31, 0xC0);            // xor r8d, r8d     REX.RB 31 /r ModRM C0
    public void XorR9dR9d() => Emit(0x45, 0x31, 0xC9);            // xor r9d, r9d     REX.RB 31 /r ModRM C9
    public void LeaRsiRip(string label) { Emit(0x48, 0x8D, 0x35); EmitRel32(label); } // lea rsi, [rip+d32]  REX.W 8D /r ModRM 35
    public void LeaRdxRip(string label) { Emit(0x48, 0x8D, 0x15); EmitRel32(label); } // lea rdx, [rip+d32]  REX.W 8D /r ModRM 15
    public void MovRcxFromRbx(byte disp) => Emit(0x48, 0x8B, 0x4B, disp); // mov rcx, [rbx+d8]  REX.W 8B /r ModRM 4B
    public void MovRaxFromRbx(byte disp) => Emit(0x48, 0x8B, 0x43, disp); // mov rax, [rbx+d8]  REX.W 8B /r ModRM 43
    public void CallIndirectRcx(byte disp) => Emit(0xFF, 0x51, disp);     // call [rcx+d8]      FF /2 ModRM 51
    public void CallIndirectRax(byte disp) => Emit(0xFF, 0x50, disp);     // call [rax+d8]      FF /2 ModRM 50
}
