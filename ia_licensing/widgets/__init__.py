"""Qt building blocks shared by the containers (views) and the dialogs: table parts, the
record table model, the prompt and file-chooser services, and the window protocol."""
