/* Leptonica's skew finder on the same pages as docseal (testdata/scan/gen/peers/run.sh).
 *
 *   leptonica_skew RANGE_DEG SWEEP_RED SEARCH_RED FILE...
 *
 * Per file, one line: file, angle (Leptonica's sign), confidence, ms for read + find, and ms for
 * the end-to-end deskew as OCRmyPDF runs it (pixRead, pixDeskew with the default ±7° sweep,
 * pixWrite PNG to /dev/null-like temp file). Build: cc -O2 leptonica_skew.c -llept */
#include <leptonica/allheaders.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now_ms(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

int main(int argc, char **argv) {
    if (argc < 5) {
        fprintf(stderr, "usage: %s RANGE SWEEP_RED SEARCH_RED FILE...\n", argv[0]);
        return 2;
    }
    setMsgSeverity(L_SEVERITY_NONE);
    float range = atof(argv[1]);
    int sweep_red = atoi(argv[2]), search_red = atoi(argv[3]);
    for (int i = 4; i < argc; i++) {
        double t0 = now_ms();
        PIX *pix = pixRead(argv[i]);
        if (!pix) { printf("%s\terror\n", argv[i]); continue; }
        PIX *bin = pixConvertTo1(pix, 130); /* pixDeskewGeneral's threshold */
        float angle = 0, conf = 0;
        pixFindSkewSweepAndSearch(bin, &angle, &conf, sweep_red, search_red, range, 1.0, 0.01);
        double t1 = now_ms();
        pixDestroy(&bin);
        pixDestroy(&pix);
        /* End to end as OCRmyPDF does it: read, pixDeskew (defaults), write PNG. */
        double t2 = now_ms();
        PIX *p2 = pixRead(argv[i]);
        PIX *d = pixDeskew(p2, 0);
        pixWrite("/tmp/leptonica_deskew_out.png", d, IFF_PNG);
        double t3 = now_ms();
        pixDestroy(&d);
        pixDestroy(&p2);
        printf("%s\t%.4f\t%.2f\t%.1f\t%.1f\n", argv[i], angle, conf, t1 - t0, t3 - t2);
    }
    return 0;
}
