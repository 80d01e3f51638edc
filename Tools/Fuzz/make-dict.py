#!/usr/bin/env python3
"""Writes Tools/Fuzz/export.dict from Docs/export-format.xsd: python3 Tools/Fuzz/make-dict.py"""
import os
root = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
import re
xsd=open(os.path.join(root, 'Docs/export-format.xsd')).read()
names=sorted(set(re.findall(r'<xs:element[^>]*\bname="([^"]+)"',xsd)))
attrs=sorted(set(re.findall(r'<xs:attribute[^>]*\bname="([^"]+)"',xsd)))
enums=sorted(set(re.findall(r'<xs:enumeration value="([^"]+)"',xsd)))
def q(s):
    b = s.encode('latin-1')
    return '"' + ''.join(('\\x%02x' % c) if (c < 0x20 or c > 0x7e or c in (0x22, 0x5c)) else chr(c) for c in b) + '"'
out=[]
out.append('# libFuzzer dictionary for the export format v1 reader (Tools/Fuzz).')
out.append('# Element names, attribute names and enumerations come from Docs/export-format.xsd; the rest')
out.append('# are XML syntax tokens. Regenerate with the script in README.md when the format grows.')
out.append('')
out.append('# --- XML syntax')
syntax = ['<?xml version="1.0" encoding="UTF-8"?>','<?xml version="1.0"?>','<?xml','?>','encoding="UTF-16"','encoding="ISO-8859-1"',
 'encoding="EBCDIC"','standalone="yes"',
 '<','>','</','/>','=','"',"'",' ','\n','\r\n','\t','<!--','-->','<![CDATA[',']]>','<!DOCTYPE','<!DOCTYPE export [','<!ENTITY','<!ENTITY % p','<!ELEMENT','<!ATTLIST','SYSTEM','PUBLIC','%p;',
 '&amp;','&lt;','&gt;','&quot;','&apos;','&#38;','&#38;#38;','&#x26;','&#0;','&#x10FFFF;','&#xD800;','&e;','<?pi ?>',
 'xmlns=','xmlns:','xml:lang="en"','xml:space="preserve"','xml:base="x"',
 '\xef\xbb\xbf','\xff\xfe','\xfe\xff','\xc3\xa9','\xed\xa0\x80','\xf4\x8f\xbf\xbf','\xc0\x80','\x00']
for i,s in enumerate(syntax):
    out.append('syntax_%d=%s' % (i, q(s)))
out.append('')
out.append('# --- namespaces')
for i,s in enumerate(['urn:purchase-actions:export:v1','xmlns="urn:purchase-actions:export:v1"','xmlns:pa="urn:purchase-actions:export:v1"','pa:',
                      'xmlns:x="urn:example:acme"','x:','<x:e/>','x:a="1"',
                      'http://www.w3.org/2001/XInclude','http://www.w3.org/2003/XInclude','xmlns:xi="http://www.w3.org/2001/XInclude"','<xi:include href="/etc/passwd"/>',
                      'http://www.w3.org/2001/XMLSchema-instance','xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"','xsi:schemaLocation=','xsi:nil="true"','xsi:type=']):
    out.append('ns_%d=%s' % (i, q(s)))
out.append('')
out.append('# --- element names, as names and as start, end and empty tags')
for n in names:
    k=n.replace('-','_')
    out.append('el_%s=%s' % (k, q(n)))
    out.append('st_%s=%s' % (k, q('<'+n+'>')))
    out.append('et_%s=%s' % (k, q('</'+n+'>')))
    out.append('em_%s=%s' % (k, q('<'+n+'/>')))
out.append('')
out.append('# --- attribute names, alone and followed by =" so that a value comes next')
for a in attrs:
    k=a.replace('-','_')
    out.append('at_%s=%s' % (k, q(a)))
    out.append('av_%s=%s' % (k, q(' '+a+'="')))
out.append('')
out.append('# --- values')
vals=enums+['true','false','0','1','-1','4900','9223372036854775807','9223372036854775808','99999999999999999999','09:30','24:00','9:3',
            'USD','Europe/Berlin','a@b','a@@b','https://example.com/hook','http://','~Contact.FirstName~','_ShirtSize',
            'version="1"','version="2"','tag-buyer','as-welcome','prod-course','plan-monthly']
for i,v in enumerate(vals):
    out.append('v_%d=%s' % (i, q(v)))
open(os.path.join(root, 'Tools/Fuzz/export.dict'), 'w').write('\n'.join(out)+'\n')
