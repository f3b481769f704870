# classify: one of the --labels for the text, with a short reason
{
  messages: [
    {role: "system",
     content: "You label texts. You answer with exactly one of the labels you are given."},
    {role: "user",
     content: "Which one of these labels fits the text below best: \($labels | join(", "))? Reply with a JSON object with the fields \"label\" (one of the labels) and \"reason\" (one sentence).\n\nText:\n\(.text)"}
  ],
  schema: {
    type: "object",
    properties: {label: {type: "string", enum: $labels},
                 reason: {type: "string"}},
    required: ["label", "reason"],
    additionalProperties: false
  }
}
