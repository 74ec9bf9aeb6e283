// A client of the demo API, written against the types openapi-typescript
// generates from its OpenAPI document (check.sh writes them to demo.ts).
// It compiles with tsc --strict only if the document lets a client narrow
// an answer on its status, and then on data.code to the declared codes.
import type { components, paths } from "./demo";

type SendMessage = paths["/api/v1/send/message"]["post"];
type Params = NonNullable<SendMessage["requestBody"]>["content"]["application/json"];
type Answer = SendMessage["responses"][200]["content"]["application/json"];
type GetMessageAnswer = paths["/api/v1/messages/message"]["post"]["responses"][200]["content"]["application/json"];

export const params: Params = {
  to: ["ann@example.com"],
  from: "demo@example.com",
  subject: "Hi",
  plain_body: "Hello",
};

export function describe(a: Answer): string {
  switch (a.status) {
    case "success":
      // data is the result of send/message.
      return a.data.message_id ?? Object.keys(a.data.messages).join(", ");
    case "parameter-error":
      return a.data.code + (a.data.field ? " in " + a.data.field : "");
    case "error":
      if (a.data.code === "NoRecipients" || a.data.code === "InvalidServerAPIKey") {
        return a.data.message;
      }
      // @ts-expect-error NoSuchCode is a code send/message does not declare.
      if (a.data.code === "NoSuchCode") {
        return "never";
      }
      return a.data.code;
    default: {
      // Every status send/message can answer with is handled above.
      const unreachable: never = a;
      return unreachable;
    }
  }
}

export function messageID(a: GetMessageAnswer): unknown {
  if (a.status === "error" && a.data.code === "MessageNotFound") {
    return a.data.id; // the declared attribute
  }
  // @ts-expect-error an error envelope has no result: data.token exists on success only.
  return a.data.token;
}

export function page(flags: components["schemas"]["Flags"]): number {
  return flags.paginated ? flags.paginated.total_pages : 1;
}
