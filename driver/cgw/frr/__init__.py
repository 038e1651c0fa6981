"""FRR or Quagga as the customer gateway's BGP speaker: its files found and read."""
