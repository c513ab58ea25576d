"""Qt building blocks shared by the containers (views) and the dialogs: table parts, the
one table model (and its record flavour) with the one sort/filter proxy, the prompt and
file-chooser services, and the window protocol."""
