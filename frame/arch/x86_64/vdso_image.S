/* The vDSO image (build/ARCH/vdso/vdso.so, from vdso/vdso_user.c and vdso/vdso.lds) embedded in the kernel as read-only bytes. */
	.section .rodata
	.balign 4096
	.globl vdso_image_start
vdso_image_start:
	.incbin VDSO_SO
	.globl vdso_image_end
vdso_image_end:
	.section .note.GNU-stack, "", @progbits
