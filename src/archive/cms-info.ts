/**
 * Reads who signed and when from a CMS SignedData blob (RFC 5652) with a generic DER walk, so it
 * works for any key algorithm, GOST R 34.10-2012 included (node-forge's pkcs7 only knows RSA).
 * Proves nothing: the cryptographic check is OpenSSL's (see openssl-cms.ts).
 */
import forge from "node-forge";

const { asn1 } = forge;
type Node = forge.asn1.Asn1;

const OID_SIGNED_DATA = "1.2.840.113549.1.7.2";
const OID_SIGNING_TIME = "1.2.840.113549.1.9.5";
const OID_COMMON_NAME = "2.5.4.3";

export interface CmsInfo {
  signer?: string;
  signedAt?: string;
}

function children(node: Node | undefined): Node[] {
  return node && Array.isArray(node.value) ? (node.value as Node[]) : [];
}

function isContext(node: Node, tag: number): boolean {
  return node.tagClass === asn1.Class.CONTEXT_SPECIFIC && node.type === tag;
}

function oidOf(node: Node | undefined): string | undefined {
  return node && node.type === asn1.Type.OID && typeof node.value === "string"
    ? asn1.derToOid(node.value)
    : undefined;
}

function decodeString(node: Node): string {
  const raw = typeof node.value === "string" ? node.value : "";
  if (node.type === asn1.Type.BMPSTRING) {
    let text = "";
    for (let i = 0; i + 1 < raw.length; i += 2)
      text += String.fromCharCode((raw.charCodeAt(i) << 8) | raw.charCodeAt(i + 1));
    return text;
  }
  if (node.type === asn1.Type.UTF8) return forge.util.decodeUtf8(raw);
  return raw;
}

/** Subject of a Name: "CN" when present, else all attributes joined RFC 2253 style. */
function nameToText(name: Node): string {
  const parts: [string, string][] = [];
  for (const rdn of children(name)) {
    for (const attr of children(rdn)) {
      const [type, value] = children(attr);
      const oid = oidOf(type);
      if (oid && value) parts.push([oid, decodeString(value)]);
    }
  }
  const cn = parts.find(([oid]) => oid === OID_COMMON_NAME);
  return cn ? cn[1] : parts.map(([oid, v]) => `${oid}=${v}`).join(",");
}

function timeToIso(node: Node): string | undefined {
  const raw = typeof node.value === "string" ? node.value : "";
  if (node.type === asn1.Type.UTCTIME) return asn1.utcTimeToDate(raw).toISOString();
  if (node.type === asn1.Type.GENERALIZEDTIME) return asn1.generalizedTimeToDate(raw).toISOString();
  return undefined;
}

/** Fields of a certificate needed to match a SignerIdentifier. */
function certificateIds(cert: Node): { issuerDer: string; serial: string; subject: string } | undefined {
  const tbs = children(cert)[0];
  const fields = children(tbs);
  const offset = fields[0] && isContext(fields[0], 0) ? 1 : 0;
  const serial = fields[offset];
  const issuer = fields[offset + 2];
  const subject = fields[offset + 4];
  if (!serial || !issuer || !subject) return undefined;
  return {
    issuerDer: asn1.toDer(issuer).getBytes(),
    serial: String(serial.value),
    subject: nameToText(subject),
  };
}

/** Extracts the first signer's CN and signing time; returns {} for anything it cannot read. */
export function readCmsInfo(der: Uint8Array): CmsInfo {
  let root: Node;
  try {
    root = asn1.fromDer(forge.util.createBuffer(Buffer.from(der).toString("binary")), false);
  } catch {
    return {};
  }
  const [contentType, explicit] = children(root);
  if (oidOf(contentType) !== OID_SIGNED_DATA) return {};
  const signedData = children(explicit)[0];
  const parts = children(signedData);
  const certSet = parts.find((p) => isContext(p, 0));
  const signerInfos = parts[parts.length - 1];
  const signerInfo = children(signerInfos)[0];
  if (!signerInfo) return {};
  const [, sid, , maybeAttrs] = children(signerInfo);

  const info: CmsInfo = {};
  if (maybeAttrs && isContext(maybeAttrs, 0)) {
    for (const attr of children(maybeAttrs)) {
      const [type, values] = children(attr);
      if (oidOf(type) === OID_SIGNING_TIME) {
        const value = children(values)[0];
        if (value) info.signedAt = timeToIso(value);
      }
    }
  }

  const certs = children(certSet)
    .map(certificateIds)
    .filter((c) => c !== undefined);
  if (sid && sid.tagClass === asn1.Class.UNIVERSAL) {
    // IssuerAndSerialNumber
    const [issuer, serial] = children(sid);
    if (issuer && serial) {
      const issuerDer = asn1.toDer(issuer).getBytes();
      const match = certs.find((c) => c.issuerDer === issuerDer && c.serial === String(serial.value));
      if (match) info.signer = match.subject;
    }
  }
  if (!info.signer && certs.length === 1) info.signer = certs[0].subject;
  return info;
}

/** Common name (or whole subject) of a DER certificate given as a forge binary string. */
export function certificateSubject(certDer: string): string | undefined {
  try {
    return certificateIds(asn1.fromDer(certDer, false))?.subject;
  } catch {
    return undefined;
  }
}
