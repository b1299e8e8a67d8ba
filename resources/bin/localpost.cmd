@echo off
rem The localpost command of an installed Localpost: the app's own binary, run as the command.
rem Add this folder to PATH to use it from any terminal.
"%~dp0..\..\Localpost.exe" --localpost-cli %*
