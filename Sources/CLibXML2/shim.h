#ifndef PURCHASEACTIONS_CLIBXML2_SHIM_H
#define PURCHASEACTIONS_CLIBXML2_SHIM_H
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
