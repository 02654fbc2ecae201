// Gives the merged OpenAPI document its title, version, security scheme and a stable layout;
// protoc-gen-openapiv2 names a merged document after its first input file.
import { readFileSync, writeFileSync } from "node:fs";

const file = process.argv[2];
const doc = JSON.parse(readFileSync(file, "utf8"));
const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));

doc.info = {
  title: "Fidalex Bank API",
  description:
    "REST surface of the Fidalex mesh, transcoded by Envoy to gRPC. Every route needs an access token (Authorization: Bearer) except registration, login, refresh, password reset, the JWKS and health.",
  version: pkg.version,
};
doc.securityDefinitions = {
  bearer: { type: "apiKey", name: "Authorization", in: "header", description: "Bearer <access token>" },
};
doc.security = [{ bearer: [] }];
// Services without HTTP rules are internal to the mesh; their tags would only confuse REST users.
const routed = new Set(
  Object.values(doc.paths ?? {}).flatMap((ops) => Object.values(ops).flatMap((op) => op.tags ?? [])),
);
doc.tags = (doc.tags ?? []).filter((tag) => routed.has(tag.name));
writeFileSync(file, JSON.stringify(doc, null, 2) + "\n");
