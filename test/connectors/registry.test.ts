import { expect } from "chai";
import { DnevnikConnector } from "../../src/connectors/dnevnik/connector.ts";
import { ConnectorConfigError, connectorKinds, createConnector } from "../../src/connectors/registry.ts";
import { encryptSecret } from "../../src/connectors/secrets.ts";

function configError(fn: () => unknown): ConnectorConfigError {
  try {
    fn();
  } catch (e) {
    expect(e).to.be.instanceOf(ConnectorConfigError);
    return e as ConnectorConfigError;
  }
  throw new Error("expected a ConnectorConfigError");
}

describe("connector registry", () => {
  it("knows dnevnik and builds it from a validated config, decrypting the token", () => {
    expect(connectorKinds()).to.include("dnevnik");
    const c = createConnector(
      { kind: "dnevnik", token: encryptSecret("plain-token", "k3y"), schoolId: "1000002283077" },
      { secret: "k3y" },
    );
    expect(c).to.be.instanceOf(DnevnikConnector);
    expect(c.kind).to.equal("dnevnik");
    expect(c.stats()).to.deep.equal({ requests: 0, retries: 0 });
  });

  it("names the key and the expectation when a config is wrong", () => {
    const e = configError(() => createConnector({ kind: "dnevnik", token: "t", schoolId: 1000002283077 }));
    expect(e.issues.map((i) => i.path)).to.deep.equal(["schoolId"]);
    expect(e.message).to.contain("schoolId");
    expect(configError(() => createConnector({ kind: "nope" })).message).to.contain('unknown kind "nope"');
    expect(configError(() => createConnector({})).message).to.contain("kind");
    expect(
      configError(() => createConnector({ kind: "dnevnik", token: "t", schoolId: "1", chunkDays: 90 }))
        .issues[0].path,
    ).to.equal("chunkDays");
  });
});
