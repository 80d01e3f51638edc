#ifndef PURCHASEACTIONS_CLIBXML2_SHIM_H
#define PURCHASEACTIONS_CLIBXML2_SHIM_H
/* Debian builds libxml2 with ICU, so its encoding.h would pull in the system's ICU headers, whose
   UErrorCode clashes with Foundation's own copy of ICU in any Swift module that sees both. Nothing
   here uses ICU: the only declarations it guards are two trailing pointer fields of
   xmlCharEncodingHandler, which this package never touches (it only passes handlers by pointer). */
#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/SAX2.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlschemas.h>

/* Swift cannot write a variadic C callback; this one swallows libxml2's generic messages,
   which would otherwise go to stderr. Every error reaches us through structured callbacks. */
static void purchaseactions_ignore_generic_error(void *context, const char *message, ...) {
    (void)context;
    (void)message;
}

static inline void purchaseactions_silence_generic_errors(void) {
    xmlSetGenericErrorFunc(NULL, purchaseactions_ignore_generic_error);
}
#endif
