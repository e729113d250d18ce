package dev.libos.maven.image;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The guest's first program: a static x86-64 Linux executable of a few hundred bytes, written
 * here byte by byte (no compiler, no C library), that mounts the kernel's file systems and then
 * execs the JVM in its place, so the JVM is still PID 1 and gets init's arguments and
 * environment unchanged.
 *
 * <p>Why not let the JVM mount them, as it did: Java has no mount(2), and linking an FFM
 * downcall spins binding classes that no AOT cache can hold, about a second under TCG; these
 * ten system calls take microseconds. A mount that fails is skipped (the JVM's guest boot then
 * tries it again and prints the errno); an exec that fails exits with status
 * {@value #EXEC_FAILED_STATUS}, which the kernel reports as init's exit code.
 *
 * <p>Layout: the ELF header (64 bytes, ELF-64 spec, "File header"), one program header (56
 * bytes) loading the whole file read-and-execute at {@value #LOAD_ADDRESS}, the code, then the
 * NUL-terminated strings the code addresses RIP-relative.
 */
public final class InitStub {
    /** Status of the stub when the exec failed (as a shell's "command not found"). */
    public static final int EXEC_FAILED_STATUS = 127;

    private static final long LOAD_ADDRESS = 0x400000;
    private static final int ELF_HEADER_BYTES = 64;
    private static final int PROGRAM_HEADER_BYTES = 56;
    private static final int CODE_OFFSET = ELF_HEADER_BYTES + PROGRAM_HEADER_BYTES;
    /** Linux x86-64 system call numbers (arch/x86/entry/syscalls/syscall_64.tbl). */
    private static final int SYS_EXECVE = 59;
    private static final int SYS_EXIT = 60;
    private static final int SYS_MKDIR = 83;
    private static final int SYS_MOUNT = 165;
    private static final int MOUNT_POINT_MODE = 0755;

    /**
     * One mount, as mount(2) takes it.
     *
     * @param source device or name
     * @param target mount point, made first (mkdir(2); an existing one is fine)
     * @param type   file system type
     * @param flags  MS_* flags (they fit in 32 bits)
     * @param data   options, or null
     */
    public record Mount(String source, String target, String type, int flags, String data) {
    }

    /** MS_NOSUID | MS_NOEXEC | MS_NODEV for the pseudo file systems. */
    private static final int PSEUDO_FLAGS = 0x2 | 0x8 | 0x4;
    private static final int MS_NOSUID = 0x2;

    /**
     * The guest's mounts: the same list, in the same order, as libos-core's {@code GuestMounts.MOUNTS}
     * (hugetlbfs's mount point exists only once devtmpfs is on /dev).
     */
    public static final List<Mount> GUEST_MOUNTS = List.of(
            new Mount("proc", "/proc", "proc", PSEUDO_FLAGS, null),
            new Mount("sysfs", "/sys", "sysfs", PSEUDO_FLAGS, null),
            new Mount("devtmpfs", "/dev", "devtmpfs", MS_NOSUID, "mode=0755"),
            new Mount("hugetlbfs", "/dev/hugepages", "hugetlbfs", MS_NOSUID, null));

    private InitStub() {
    }

    /** The guest's stub: {@link #GUEST_MOUNTS}, then the image's JVM ({@link KernelCommandLine#JAVA}). */
    public static byte[] guest() {
        return of(GUEST_MOUNTS, KernelCommandLine.JAVA);
    }

    /**
     * The executable.
     *
     * @param mounts  mounted in order (a later mount point may lie in an earlier file system)
     * @param program absolute path of the program to exec; it becomes argv[0]
     */
    public static byte[] of(List<Mount> mounts, String program) {
        if (!program.startsWith("/")) {
            throw new IllegalArgumentException("the init stub's program must be an absolute path: " + program);
        }
        Assembler code = new Assembler();
        for (Mount mount : mounts) {
            code.leaRip(Assembler.RDI, mount.target());
            code.movImm32(Assembler.RSI, MOUNT_POINT_MODE);
            code.movImm32(Assembler.RAX, SYS_MKDIR);
            code.syscall();
            code.leaRip(Assembler.RDI, mount.source());
            code.leaRip(Assembler.RSI, mount.target());
            code.leaRip(Assembler.RDX, mount.type());
            code.movImm32(Assembler.R10, mount.flags());
            if (mount.data() == null) {
                code.zero(Assembler.R8);
            } else {
                code.leaRip(Assembler.R8, mount.data());
            }
            code.movImm32(Assembler.RAX, SYS_MOUNT);
            code.syscall();
        }
        // At entry rsp points at argc, then argv[0..argc-1], NULL, then envp (System V x86-64
        // ABI, "Process Initialization"): execve(program, argv with argv[0] = program, envp).
        code.leaRip(Assembler.RDI, program);
        code.bytes(0x48, 0x8d, 0x74, 0x24, 0x08);       // lea rsi, [rsp+8]        argv
        code.bytes(0x48, 0x89, 0x3e);                   // mov [rsi], rdi          argv[0] = program
        code.bytes(0x48, 0x8b, 0x0c, 0x24);             // mov rcx, [rsp]          argc
        code.bytes(0x48, 0x8d, 0x54, 0xcc, 0x10);       // lea rdx, [rsp+rcx*8+16] envp
        code.movImm32(Assembler.RAX, SYS_EXECVE);
        code.syscall();
        code.movImm32(Assembler.RDI, EXEC_FAILED_STATUS); // only reached when execve failed
        code.movImm32(Assembler.RAX, SYS_EXIT);
        code.syscall();
        byte[] body = code.link();
        return withHeaders(body);
    }

    private static byte[] withHeaders(byte[] body) {
        long fileBytes = CODE_OFFSET + body.length;
        ByteBuffer elf = ByteBuffer.allocate((int) fileBytes).order(ByteOrder.LITTLE_ENDIAN);
        elf.put(new byte[] {0x7f, 'E', 'L', 'F', 2 /* 64-bit */, 1 /* little-endian */, 1 /* version */, 0 /* System V ABI */});
        elf.put(new byte[8]);                            // ABI version and padding
        elf.putShort((short) 2);                         // e_type ET_EXEC
        elf.putShort((short) 62);                        // e_machine EM_X86_64
        elf.putInt(1);                                   // e_version
        elf.putLong(LOAD_ADDRESS + CODE_OFFSET);         // e_entry
        elf.putLong(ELF_HEADER_BYTES);                   // e_phoff
        elf.putLong(0);                                  // e_shoff: no sections
        elf.putInt(0);                                   // e_flags
        elf.putShort((short) ELF_HEADER_BYTES);          // e_ehsize
        elf.putShort((short) PROGRAM_HEADER_BYTES);      // e_phentsize
        elf.putShort((short) 1);                         // e_phnum
        elf.putShort((short) 64);                        // e_shentsize
        elf.putShort((short) 0);                         // e_shnum
        elf.putShort((short) 0);                         // e_shstrndx
        elf.putInt(1);                                   // p_type PT_LOAD
        elf.putInt(0x4 | 0x1);                           // p_flags PF_R | PF_X
        elf.putLong(0);                                  // p_offset: the whole file
        elf.putLong(LOAD_ADDRESS);                       // p_vaddr
        elf.putLong(LOAD_ADDRESS);                       // p_paddr
        elf.putLong(fileBytes);                          // p_filesz
        elf.putLong(fileBytes);                          // p_memsz
        elf.putLong(0x1000);                             // p_align
        elf.put(body);
        return elf.array();
    }

    /**
     * The few instructions the stub needs, with RIP-relative references to strings that
     * {@link #link} places after the code (Intel SDM vol. 2, "RIP-Relative Addressing").
     */
    private static final class Assembler {
        static final int RAX = 0;
        static final int RDX = 2;
        static final int RSI = 6;
        static final int RDI = 7;
        static final int R8 = 8;
        static final int R10 = 10;

        private final ByteArrayOutputStream code = new ByteArrayOutputStream();
        private final List<String> strings = new ArrayList<>();
        /** Code offsets of the 32-bit displacements to patch, and which string each one names. */
        private final List<int[]> fixups = new ArrayList<>();

        void bytes(int... values) {
            for (int value : values) {
                code.write(value);
            }
        }

        /** lea reg, [rip + string]: REX.W (+R), 8D, ModRM mod=00 rm=101, disp32. */
        void leaRip(int register, String string) {
            bytes(0x48 | (register >> 3) << 2, 0x8d, 0x05 | (register & 7) << 3);
            int index = strings.indexOf(string);
            if (index < 0) {
                strings.add(string);
                index = strings.size() - 1;
            }
            fixups.add(new int[] {code.size(), index});
            bytes(0, 0, 0, 0);
        }

        /** mov reg32, imm32 (B8+r; zero-extends into the 64-bit register). */
        void movImm32(int register, int value) {
            if (register >= 8) {
                bytes(0x41);
            }
            bytes(0xb8 + (register & 7), value & 0xff, value >>> 8 & 0xff, value >>> 16 & 0xff, value >>> 24);
        }

        /** xor reg32, reg32. */
        void zero(int register) {
            int rex = register >= 8 ? 0x45 : 0;
            if (rex != 0) {
                bytes(rex);
            }
            bytes(0x31, 0xc0 | (register & 7) << 3 | (register & 7));
        }

        void syscall() {
            bytes(0x0f, 0x05);
        }

        /** The code followed by its strings, displacements filled in (they are relative: any load address). */
        byte[] link() {
            byte[] text = code.toByteArray();
            ByteArrayOutputStream data = new ByteArrayOutputStream();
            int[] stringOffsets = new int[strings.size()];
            for (int i = 0; i < strings.size(); i++) {
                stringOffsets[i] = text.length + data.size();
                data.writeBytes(strings.get(i).getBytes(StandardCharsets.UTF_8));
                data.write(0);
            }
            ByteBuffer patched = ByteBuffer.wrap(text).order(ByteOrder.LITTLE_ENDIAN);
            for (int[] fixup : fixups) {
                int next = fixup[0] + 4; // RIP is the address of the next instruction
                patched.putInt(fixup[0], stringOffsets[fixup[1]] - next);
            }
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            all.writeBytes(text);
            all.writeBytes(data.toByteArray());
            return all.toByteArray();
        }
    }
}
