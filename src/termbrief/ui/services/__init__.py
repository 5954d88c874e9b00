"""Small services the app owns: live reload, the library finder."""
