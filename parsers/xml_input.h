/* Byte stream feeding libxml2's reader for the big XML outputs (vasprun.xml).
 *
 * It reads plain or gzip files through zlib and drops, before any XML
 * tokenising, whole elements that no dftpost analysis reads: in a vasprun.xml
 * the <projected> and <eigenvalues> blocks are most of the file, and cutting
 * them out with memmem is an order of magnitude faster than letting the XML
 * reader skip them. Line numbers of what remains are mapped back to the file's.
 *
 * After the end of the file it serves some whitespace before saying EOF:
 * libxml2's reader parses ahead of its cursor and, once its parser meets the end
 * of a cut-off file, refuses to hand out nodes it had already built — a killed
 * run's last complete ionic step would be lost. Whitespace is harmless wherever
 * a cut falls. */
#ifndef DP_XML_INPUT_H
#define DP_XML_INPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <zlib.h>

typedef struct {
    long at_line;   /* line (in the stream libxml2 saw) where an element was removed */
    long removed;   /* newlines removed there, cumulative */
} xml_input_cut;

typedef struct {
    gzFile gz;                /* gzip files; plain ones are read with read(2) from fd */
    int fd;
    long long bytes_read;
    bool latin1;              /* declared ISO-8859-1: served to libxml2 as UTF-8 */
    bool first_letter[256];   /* first letters of the dropped names */
    const char *const *drop;  /* element names to drop, NULL-terminated */
    char *buf;
    size_t cap, start, end;
    bool eof;
    int dropping;             /* index into drop, or -1 */
    long lines_out;           /* newlines handed to libxml2 */
    long lines_removed;       /* newlines dropped so far */
    xml_input_cut *cuts;
    int ncuts;
    int padding;              /* whitespace served after the end of the file */
} xml_input;

/* Opens path (plain or gzip). Returns 0, or -1 with errno set.
 * When the file declares encoding="ISO-8859-1" (as every vasprun.xml does), in->latin1
 * is set and the stream is transcoded to UTF-8 here, byte by byte where needed
 * (almost never), so the caller should tell libxml2 "UTF-8" and XML_PARSE_IGNORE_ENC:
 * its own conversion costs a pass over everything. */
int xml_input_open(xml_input *in, const char *path, const char *const *drop);
void xml_input_close(xml_input *in);

/* xmlInputReadCallback: fills buf with up to len bytes of the filtered stream. */
int xml_input_read(void *ctx, char *buf, int len);

/* Maps a line number libxml2 reports back to the line in the file. */
long xml_input_file_line(const xml_input *in, long line);

/* True when the file itself has been read to its end. */
bool xml_input_at_eof(const xml_input *in);

/* Compressed bytes read so far (for progress). */
long long xml_input_offset(const xml_input *in);

#endif
