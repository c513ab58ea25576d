"""IA's dialogs: License Configuration, the Add… holder picker, and the prompt service."""
