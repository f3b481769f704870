# summarize: a short summary of the text
{
  messages: [
    {role: "system",
     content: "You summarise texts faithfully and briefly, adding nothing that is not in the text."},
    {role: "user",
     content: "Summarise the text below in at most three sentences. Reply with a JSON object with the field \"summary\".\n\nText:\n\(.text)"}
  ],
  schema: {
    type: "object",
    properties: {summary: {type: "string", minLength: 1}},
    required: ["summary"],
    additionalProperties: false
  }
}
