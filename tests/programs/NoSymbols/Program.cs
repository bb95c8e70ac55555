// NoSymbols: built without any PDB; cordbg must report its module as having no symbols.
System.Console.WriteLine("hello from NoSymbols");
return 4;
