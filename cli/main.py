"""``cmms``: one command for the local stack, intake, workers, users and maintenance."""

from __future__ import annotations

import click

from cli import audit_commands, files_commands, pipeline_commands, reminder_commands, stack_commands, user_commands


@click.group()
def cli() -> None:
    """CMMS, the Case Management and Monitoring System."""


for command in (stack_commands.up, stack_commands.down, stack_commands.status, stack_commands.db,
                stack_commands.config_command, user_commands.users, audit_commands.audit, files_commands.files,
                *pipeline_commands.COMMANDS,
                reminder_commands.reminders_command):
    cli.add_command(command)


if __name__ == "__main__":
    cli()
