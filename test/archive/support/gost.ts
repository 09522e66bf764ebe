/** A throwaway GOST R 34.10-2012 (256) key and self-signed certificate via OpenSSL + Debian gost-engine. */
import { execFile } from "node:child_process";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

export interface GostMaterial {
  opensslConf: string;
  keyFile: string;
  certFile: string;
}

/** Writes an OpenSSL config that loads gost-engine with default_algorithms = ALL (ANCHORS §4.2). */
export async function writeGostOpensslConf(dir: string): Promise<string> {
  const { stdout } = await run("openssl", ["version", "-e"]);
  const enginesDir = /ENGINESDIR:\s*"([^"]+)"/.exec(stdout)?.[1];
  if (!enginesDir) throw new Error(`cannot find ENGINESDIR in: ${stdout}`);
  const conf = join(dir, "openssl-gost.cnf");
  await writeFile(
    conf,
    [
      "openssl_conf = openssl_init",
      "[openssl_init]",
      "engines = engine_section",
      "[engine_section]",
      "gost = gost_section",
      "[gost_section]",
      "engine_id = gost",
      `dynamic_path = ${join(enginesDir, "gost.so")}`,
      "default_algorithms = ALL",
      "",
    ].join("\n"),
  );
  return conf;
}

export async function makeGostMaterial(dir: string, commonName: string): Promise<GostMaterial> {
  const opensslConf = await writeGostOpensslConf(dir);
  const env = { ...process.env, OPENSSL_CONF: opensslConf };
  const keyFile = join(dir, "gost-key.pem");
  const certFile = join(dir, "gost-cert.pem");
  await run("openssl", ["genpkey", "-algorithm", "gost2012_256", "-pkeyopt", "paramset:A", "-out", keyFile], {
    env,
  });
  await run(
    "openssl",
    [
      "req",
      "-x509",
      "-new",
      "-utf8",
      "-md_gost12_256",
      "-key",
      keyFile,
      "-out",
      certFile,
      "-days",
      "30",
    ].concat(["-subj", `/CN=${commonName}/O=Школа/C=RU`]),
    { env },
  );
  return { opensslConf, keyFile, certFile };
}
