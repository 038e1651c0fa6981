"""Synthesis: the cdktf app in a child process, the Terraform CLI, the HCL hand-off."""
