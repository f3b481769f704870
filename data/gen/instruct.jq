# instruct: an instruction, its input and the output, for fine-tuning
{
  messages: [
    {role: "system",
     content: "You write instruction-tuning examples grounded in a source text."},
    {role: "user",
     content: "From the text below, write one task a user could ask an assistant to do with it: an instruction, the input it applies to (an excerpt of the text, or an empty string), and the ideal output. Reply with a JSON object with the fields \"instruction\", \"input\" and \"output\".\n\nText:\n\(.text)"}
  ],
  schema: {
    type: "object",
    properties: {instruction: {type: "string", minLength: 1},
                 input: {type: "string"},
                 output: {type: "string", minLength: 1}},
    required: ["instruction", "input", "output"],
    additionalProperties: false
  }
}
