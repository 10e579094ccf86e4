"""Reading what subscribers type, as a pure pipeline (DESIGN.md, "What people type").

`stage_reading` runs it: normalise, then recognise in order an error message or symptom
(`problems`), a question about the migration (`dialogs.knowledge`), an answer to the
question on screen (`answers`), a mail program (`program_names`), small talk
(`small_talk`). Every step is a pure function of the text and the stage.
"""
